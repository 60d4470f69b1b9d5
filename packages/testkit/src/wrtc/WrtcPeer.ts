import { simulcastLayers } from '@conclave/client';
import wrtc from '@roamhq/wrtc';

/*
 * A load/test peer on @roamhq/wrtc (libwebrtc for Node) that talks to a media engine session the
 * way a browser does: it answers the engine's offers, publishes a synthetic camera and microphone
 * on the `pa`/`pv` m-lines and counts what it receives. Used by the engine's integration tests and
 * by bench/sfu-fanout. Signalling is a pair of callbacks, so it works against a MediaRouter
 * directly or over the WebSocket.
 */

type Signal = {
  description?: { type: 'offer' | 'answer'; sdp: string } | undefined;
  candidate?: { candidate: string; sdpMid?: string | null | undefined } | undefined;
  simulcast?: { rid: string; ssrc: number }[] | undefined;
};

/*
 * Simulcast: when the peer looks for its layers' SSRCs in getStats, as Conclave's client does
 * (packages/client/src/media/sfu/SfuSession.ts): from the moment it connects, every 100 ms for the
 * first 5 s, then every second for as long as it is open, reporting them whenever they change.
 * (Giving up after a fixed time, as it once did, lost the report on a loaded machine where the
 * encoders took longer: the engine then fell back to one layer in a new session.)
 */
const LAYER_POLL_MS = 1000;
const FIRST_LAYER_POLL_MS = 100;
const FIRST_LAYER_POLL_FOR_MS = 5000;

export interface PeerOptions {
  publish?: {
    audio?: boolean;
    video?: boolean;
    width?: number;
    height?: number;
    fps?: number;
    audioLevel?: number;
  };
  /** Decode received video (costly) or only count packets. */
  decode?: boolean;
  /**
   * Report the SSRCs of its simulcast layers (`mediaSignal.simulcast`) as Conclave's web client does
   * (default); false: a client that answers with simulcast but never reports.
   */
  reportLayers?: boolean;
  /** Outgoing signalling (answer, candidates). */
  send(signal: Signal): void;
}

export interface ReceivedStream {
  participantId: string;
  kind: string;
  frames: number;
  track: MediaStreamTrack;
}

export class WrtcPeer {
  readonly pc: RTCPeerConnection;
  readonly received: ReceivedStream[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #sinks: { stop(): void }[] = [];
  readonly #local: MediaStreamTrack[] = [];
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #reportedLayers = '';
  #layerPoll: NodeJS.Timeout | undefined;
  /** Its answers send simulcast and it reports layers: polling starts once connected. */
  #sendsSimulcast = false;

  constructor(private readonly options: PeerOptions) {
    this.pc = new wrtc.RTCPeerConnection({
      iceServers: [],
      bundlePolicy: 'max-bundle',
    }) as unknown as RTCPeerConnection;
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate && !this.#closed)
        options.send({ candidate: { candidate: candidate.candidate, sdpMid: candidate.sdpMid } });
    };
    this.pc.onconnectionstatechange = () => {
      if (this.pc.connectionState === 'connected' && !this.#layerPoll) this.#pollLayers(Date.now());
    };
    this.pc.ontrack = ({ track, streams }) => {
      const stream = streams[0];
      if (!stream) return;
      const entry: ReceivedStream = { participantId: stream.id, kind: track.kind, frames: 0, track };
      this.received.push(entry);
      if (track.kind === 'video' && options.decode !== false) {
        const sink = new wrtc.nonstandard.RTCVideoSink(track as never);
        sink.onframe = () => {
          entry.frames++;
        };
        this.#sinks.push(sink);
      }
    };
    const publish = options.publish;
    if (publish?.video !== false && publish)
      this.#startVideo(publish.width ?? 320, publish.height ?? 180, publish.fps ?? 15);
    if (publish?.audio !== false && publish) this.#startAudio(publish.audioLevel ?? 0.3);
  }

  signal(signal: Signal): Promise<void> {
    const next = this.#queue.then(() => this.#apply(signal));
    this.#queue = next.catch(() => {});
    return next;
  }

  async inboundRtp(): Promise<
    {
      kind: string;
      ssrc: number;
      packetsReceived: number;
      packetsLost: number;
      nackCount: number;
      framesDecoded: number;
    }[]
  > {
    const report = await this.pc.getStats();
    const out: {
      kind: string;
      ssrc: number;
      packetsReceived: number;
      packetsLost: number;
      nackCount: number;
      framesDecoded: number;
    }[] = [];
    report.forEach((s: Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp') return;
      out.push({
        kind: String(s.kind ?? s.mediaType),
        ssrc: Number(s.ssrc),
        packetsReceived: Number(s.packetsReceived ?? 0),
        packetsLost: Number(s.packetsLost ?? 0),
        nackCount: Number(s.nackCount ?? 0),
        framesDecoded: Number(s.framesDecoded ?? 0),
      });
    });
    return out;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#layerPoll);
    for (const t of this.#timers) clearInterval(t);
    for (const s of this.#sinks) s.stop();
    for (const t of this.#local) t.stop();
    this.pc.close();
  }

  async #apply({ description, candidate }: Signal): Promise<void> {
    if (this.#closed) return;
    if (description?.type === 'offer') {
      await this.pc.setRemoteDescription(description);
      for (const transceiver of this.pc.getTransceivers()) {
        const kind = transceiver.mid === 'pa' ? 'audio' : transceiver.mid === 'pv' ? 'video' : undefined;
        if (!kind || transceiver.sender.track) continue;
        const track = this.#local.find((t) => t.kind === kind);
        if (!track) {
          transceiver.direction = 'inactive';
          continue;
        }
        await transceiver.sender.replaceTrack(track);
        transceiver.direction = 'sendonly';
      }
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      const sdp = this.pc.localDescription?.sdp;
      if (sdp && !this.#closed) this.options.send({ description: { type: 'answer', sdp } });
      if (sdp?.includes('a=simulcast:send ') && this.options.reportLayers !== false) {
        this.#sendsSimulcast = true;
        if (this.pc.connectionState === 'connected' && !this.#layerPoll) this.#pollLayers(Date.now());
      }
    } else if (candidate) {
      await this.pc.addIceCandidate(candidate as RTCIceCandidateInit);
    }
  }

  /** Reports the layers' SSRCs now if they changed, then looks again (see FIRST_LAYER_POLL_MS). */
  #pollLayers(connectedAt: number): void {
    void this.#reportLayers().finally(() => {
      if (this.#closed) return;
      const fast = !this.#reportedLayers && Date.now() - connectedAt < FIRST_LAYER_POLL_FOR_MS;
      this.#layerPoll = setTimeout(
        () => this.#pollLayers(connectedAt),
        fast ? FIRST_LAYER_POLL_MS : LAYER_POLL_MS,
      );
    });
  }

  async #reportLayers(): Promise<void> {
    if (!this.#sendsSimulcast || this.#closed) return;
    const stats = await this.pc.getStats().catch(() => undefined);
    if (!stats || this.#closed) return;
    const { layers, key } = simulcastLayers(stats);
    if (!key || key === this.#reportedLayers) return;
    this.#reportedLayers = key;
    this.options.send({ simulcast: layers });
  }

  #startVideo(width: number, height: number, fps: number): void {
    const source = new wrtc.nonstandard.RTCVideoSource();
    const track = source.createTrack() as unknown as MediaStreamTrack;
    this.#local.push(track);
    const data = new Uint8Array((width * height * 3) / 2);
    let n = 0;
    this.#timers.push(
      setInterval(() => {
        // A moving gradient, so the encoder has something to encode.
        n++;
        for (let i = 0; i < width * height; i += 7) data[i] = (i + n * 5) & 0xff;
        source.onFrame({ width, height, data });
      }, 1000 / fps),
    );
  }

  #startAudio(amplitude: number): void {
    const source = new wrtc.nonstandard.RTCAudioSource();
    const track = source.createTrack() as unknown as MediaStreamTrack;
    this.#local.push(track);
    const sampleRate = 48_000;
    const samples = new Int16Array(480);
    let phase = 0;
    this.#timers.push(
      setInterval(() => {
        for (let i = 0; i < samples.length; i++) {
          samples[i] = Math.round(Math.sin(phase) * amplitude * 32767);
          phase += (2 * Math.PI * 440) / sampleRate;
        }
        source.onData({ samples, sampleRate });
      }, 10),
    );
  }
}
