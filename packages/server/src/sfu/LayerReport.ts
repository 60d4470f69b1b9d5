import { SIMULCAST_RIDS, type SimulcastLayer } from '@conclave/protocol';

/**
 * How long after connecting a simulcast publisher has to report its layers' SSRCs before its
 * session is replaced by one without simulcast. Conclave's client reports within a second (it
 * polls getStats every 100 ms until then); a client that never reports would otherwise send video
 * the library drops for the whole meeting.
 */
export const LAYER_REPORT_WAIT_MS = 5000;

/**
 * A simulcast publisher's report of its layers' SSRCs, and the fallback when it never comes.
 *
 * libdatachannel drops RTP from SSRCs that the remote description does not declare, and a browser's
 * rid-based simulcast answer declares none; so the client reports each layer's SSRC (by rid, from
 * getStats) and the session adds them to the next answer (see sdp.ts `declareSsrcs`). A publisher
 * that answered with simulcast but has not reported LAYER_REPORT_WAIT_MS after connecting loses its
 * session, and the router opens the next one without simulcast. An offer without simulcast on the
 * same PeerConnection would not do: the browser keeps one rid and still declares no SSRC
 * (libwebrtc, checked), so its video would stay dropped (docs/sfu.md).
 */
export class LayerReport {
  #ssrcs: number[] = [];
  /** The last answer sends simulcast and the layers are not reported yet. */
  #awaiting = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    /** The wait ran out with no report: called once, and the session then ends. */
    private readonly onUnreported: () => void,
  ) {}

  /** The SSRC of each reported layer, lowest first; empty until a report of at least two. */
  get ssrcs(): readonly number[] {
    return this.#ssrcs;
  }

  /**
   * The client's report. Returns the SSRCs, lowest first, when they are new (the publication must
   * learn them and the next answer declare them), else undefined: fewer than two layers, or the
   * same as before.
   */
  report(layers: readonly SimulcastLayer[]): readonly number[] | undefined {
    const ssrcs: number[] = [];
    for (const rid of SIMULCAST_RIDS) {
      const layer = layers.find((l) => l.rid === rid);
      if (layer) ssrcs.push(layer.ssrc >>> 0);
    }
    if (ssrcs.length < 2 || ssrcs.join() === this.#ssrcs.join()) return undefined;
    this.#ssrcs = ssrcs;
    this.#awaiting = false;
    clearTimeout(this.#timer);
    return ssrcs;
  }

  /** After each answer: whether it sends simulcast (and the session asked for it). */
  answered(sendsSimulcast: boolean): void {
    this.#awaiting = sendsSimulcast && this.#ssrcs.length === 0;
  }

  /** Starts the wait, once the session is connected and the answer sends layers not yet reported. */
  wait(connected: boolean): void {
    if (this.#closed || !this.#awaiting || !connected || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // Reported meanwhile, or no longer sending video: a later answer starts the wait again.
      if (this.#closed || !this.#awaiting) return;
      this.onUnreported();
    }, LAYER_REPORT_WAIT_MS);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }
}
