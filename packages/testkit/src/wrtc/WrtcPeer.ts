import { type EngineSignal, SfuSession, type SfuSignal } from '@conclave/client';
import { nodeWebRTC } from './nodeWebRTC.js';
import { type ReceivedStream, ReceivedStreams } from './ReceivedStreams.js';
import { type SyntheticMedia, type SyntheticMediaOptions, syntheticMedia } from './syntheticMedia.js';

/*
 * A load/test peer on @roamhq/wrtc (libwebrtc for Node) that talks to a media engine session with
 * the web client's own SFU path (`SfuSession` from @conclave/client): it answers the engine's
 * offers, publishes a synthetic camera and microphone on the `pa`/`pv` m-lines, reports its
 * simulcast layers, pauses the layers nobody wants, and counts what it receives. Used by the
 * engine's integration tests and by bench/sfu-fanout. Signalling is a pair of callbacks, so it
 * works against a MediaRouter directly; over the signalling server, use WrtcConference.
 */

export type { ReceivedStream } from './ReceivedStreams.js';

export interface PeerOptions {
  /** What it sends; nothing when absent. `{}`: a 320×180 camera at 15 fps and a microphone. */
  publish?: SyntheticMediaOptions;
  /** Decode received video (costly) or only count packets. Default true. */
  decode?: boolean;
  /**
   * False: its simulcast layer reports (`simulcast`) are dropped before they reach `send`, as if
   * the client never sent them.
   */
  reportLayers?: boolean;
  /** Outgoing signalling (answer, candidates, layer reports). */
  send(signal: SfuSignal): void;
}

export interface InboundRtp {
  kind: string;
  ssrc: number;
  packetsReceived: number;
  packetsLost: number;
  nackCount: number;
  framesDecoded: number;
}

export class WrtcPeer {
  readonly #session: SfuSession;
  readonly #received: ReceivedStreams;
  readonly #media: SyntheticMedia | undefined;
  #closed = false;

  constructor(options: PeerOptions) {
    this.#media = options.publish ? syntheticMedia(options.publish) : undefined;
    const localTracks = this.#media?.tracks ?? [];
    const Stream = nodeWebRTC.MediaStream;
    this.#received = new ReceivedStreams(options.decode ?? true);
    this.#session = new SfuSession({
      iceServers: [],
      localTracks,
      localStream: localTracks.length && Stream ? new Stream(localTracks) : undefined,
      webrtc: nodeWebRTC,
    });
    this.#session.on('signal', (signal) => {
      if (options.reportLayers === false && signal.simulcast) return;
      options.send(signal);
    });
    this.#session.on('track', ({ participantId, track }) => this.#received.add(participantId, track));
  }

  /** Every remote track it has received, with the frames decoded on it. */
  get received(): readonly ReceivedStream[] {
    return this.#received.list;
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#session.connectionState;
  }

  /** Applies the engine's offers, candidates and send heights in arrival order. */
  signal(signal: EngineSignal): Promise<void> {
    return this.#session.handleSignal(signal);
  }

  async inboundRtp(): Promise<InboundRtp[]> {
    const report = await this.#session.getStats();
    const out: InboundRtp[] = [];
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
    this.#received.stop();
    this.#media?.stop();
    this.#session.close();
  }
}
