import {
  type IceServer,
  PUBLISH_MIDS,
  SCREEN_MID_PREFIX,
  SCREEN_PUBLISH_MIDS,
  type VideoConstraints,
} from '@conclave/protocol';
import { Emitter } from '../../Emitter.js';
import {
  type EngineSignal,
  type MediaTransforms,
  mediaStreamOf,
  type ScreenTracks,
  type SfuPath,
  type SfuPathEvents,
  type WebRTCImpl,
} from '../MediaPath.js';
import { applyScreenEncoding } from '../screen/screenEncoding.js';
import { StandIns } from './StandIns.js';
import { scaleSimulcastLayers, simulcastLayers } from './simulcastLayers.js';

export interface SfuSessionOptions {
  iceServers: IceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  localTracks: readonly MediaStreamTrack[];
  localStream: MediaStream | undefined;
  webrtc: WebRTCImpl;
  transforms?: MediaTransforms | undefined;
  /** The screen this participant shares now, if any (the engine's first offer has its m-lines). */
  screen?: ScreenTracks | undefined;
}

/** How often the client looks for (new) simulcast SSRCs in getStats while connected. */
const LAYER_POLL_MS = 1000;
/**
 * Until the first report, more often: the engine drops the layers' RTP until it knows their SSRCs,
 * so this is how long the video takes to appear after connecting (and a P2P→SFU switch would freeze).
 */
const FIRST_LAYER_POLL_MS = 100;
/** How long the fast polling lasts (a publisher without simulcast never has layers to report). */
const FIRST_LAYER_POLL_FOR_MS = 5000;
/**
 * Disconnected this long (or failed) the path is lost: the engine cannot restart ICE, and on its
 * own it would notice only when consent expires (30 s), so the client asks for a new session.
 */
const LOST_AFTER_MS = 4000;

/** `signal` goes to the engine (`mediaSignal`); `lost` after LOST_AFTER_MS disconnected, or failed. */
type SfuEvents = SfuPathEvents;

/**
 * One PeerConnection to the server's SFU. The engine always offers and this side always answers,
 * so there is no glare: the first offer carries receive-only `pa`/`pv` m-lines, which get the local
 * tracks, and one send-only audio/video pair per other participant, whose stream id (msid) is that
 * participant's id. Renegotiations add or reject pairs as people come and go.
 */
export class SfuSession extends Emitter<SfuEvents> implements SfuPath {
  readonly kind = 'sfu';
  readonly #pc: RTCPeerConnection;
  readonly #options: SfuSessionOptions;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #layerTimer: ReturnType<typeof setTimeout> | undefined;
  #lostTimer: ReturnType<typeof setTimeout> | undefined;
  #lost = false;
  #reportedLayers = '';
  /** The tallest picture anyone shows of this side's video (`mediaSignal.maxSendHeight`). */
  #maxSendHeight = Number.POSITIVE_INFINITY;
  /** The screen to send on `psa`/`psv` (answered sendonly) or none (answered inactive). */
  #screen: ScreenTracks | undefined;
  /** Screen tracks whose sender was added before the first offer (their transform is sure to work). */
  readonly #paired = new WeakSet<MediaStreamTrack>();
  /** Silent tracks on senders added before the first offer, for a screen's audio (#attachScreen). */
  readonly #standIns = new StandIns();
  /** The screen audio sender that a stand-in paired with `psa`. */
  #screenAudioSender: RTCRtpSender | undefined;
  /** Senders whose encoded transform is set (it is set once per sender). */
  readonly #transformed = new WeakSet<RTCRtpSender>();

  constructor(options: SfuSessionOptions) {
    super();
    this.#options = options;
    this.#screen = options.screen;
    const Stream = mediaStreamOf(options.webrtc);
    this.#pc = new options.webrtc.RTCPeerConnection({
      ...options.transforms?.peerConnectionConfig(),
      iceServers: options.iceServers,
      iceTransportPolicy: options.iceTransportPolicy ?? 'all',
      bundlePolicy: 'max-bundle',
    });
    this.#pc.onicecandidate = ({ candidate }) => {
      if (candidate && !this.#closed) {
        this.emit('signal', {
          candidate: {
            candidate: candidate.candidate,
            sdpMid: candidate.sdpMid,
            sdpMLineIndex: candidate.sdpMLineIndex,
            usernameFragment: candidate.usernameFragment,
          },
        });
      }
    };
    this.#pc.ontrack = ({ track, streams, receiver, transceiver }) => {
      const stream = streams[0];
      // Only the engine's send-only m-lines carry a stream id; anything else is not a participant.
      if (!stream) return;
      // Synchronously, before any frame reaches the receiver (legacy encoded streams require it).
      this.#options.transforms?.attachReceiver(
        receiver,
        track.kind === 'audio' ? 'audio' : 'video',
        stream.id,
      );
      // A screen's m-line has the same stream id (the publisher) as its camera's: it gets a stream
      // of its own, so that showing the screen never plays the camera instead.
      if (transceiver?.mid?.startsWith(SCREEN_MID_PREFIX)) {
        const own = Stream ? new Stream([track]) : stream;
        this.emit('track', { participantId: stream.id, track, stream: own, source: 'screen' });
      } else this.emit('track', { participantId: stream.id, track, stream, source: 'camera' });
    };
    this.#pc.onconnectionstatechange = () => {
      if (this.#closed) return;
      const state = this.#pc.connectionState;
      this.emit('state', state);
      if (state === 'connected' && !this.#layerTimer) this.#pollLayers(Date.now());
      clearTimeout(this.#lostTimer);
      if (state === 'failed') this.#declareLost();
      else if (state === 'disconnected')
        this.#lostTimer = setTimeout(() => this.#declareLost(), LOST_AFTER_MS);
    };
    // The local tracks go on senders now, before the engine's offer: applying that offer pairs
    // them with its first audio and video m-lines, which are `pa` and `pv`. Chromium runs a video
    // sender's frames through an encoded transform only if the transform was set before
    // negotiation; set on the transceiver that the offer creates, audio was encrypted but video
    // left in clear.
    for (const kind of ['audio', 'video'] as const) {
      const track = options.localTracks.find((t) => t.kind === kind);
      if (!track) continue;
      const sender = this.#pc.addTrack(track, ...(options.localStream ? [options.localStream] : []));
      this.#attachSender(sender, kind);
    }
    // The same for a screen shared already (a P2P→SFU switch): its senders pair with the next
    // m-lines of their kind, `psa`/`psv`; only behind a camera track of the same kind, or they
    // would take `pa`/`pv` (then they are set on the offer's transceivers, #attachScreen).
    for (const track of this.#screen?.tracks ?? []) {
      if (!options.localTracks.some((t) => t.kind === track.kind)) continue;
      const stream = this.#screen?.stream;
      this.#attachSender(this.#pc.addTrack(track, ...(stream ? [stream] : [])), kindOf(track));
      this.#paired.add(track);
    }
    // With transforms (E2EE possible), a screen audio sender the camera's way even before anyone
    // shares: a silent stand-in (never sent: `psa` is answered inactive until a share starts)
    // pairs with `psa` behind the microphone, and a later share's audio replaces it. Without a
    // microphone a first stand-in takes `pa` (answered inactive, as it is with no microphone).
    const microphone = options.localTracks.find((t) => t.kind === 'audio');
    const screenAudio = this.#screen?.tracks.some((t) => t.kind === 'audio' && this.#paired.has(t));
    if (options.transforms && !screenAudio) {
      const onPa = microphone ? undefined : this.#standIns.silence();
      if (onPa) this.#attachSender(this.#pc.addTrack(onPa), 'audio');
      // Without anything on `pa` (no Web Audio either) a stand-in would take it: none then.
      const onPsa = microphone || onPa ? this.#standIns.silence(microphone) : undefined;
      if (onPsa) {
        this.#screenAudioSender = this.#pc.addTrack(onPsa);
        this.#attachSender(this.#screenAudioSender, 'audio');
      }
    }
  }

  /**
   * Starts (or stops) sending a screen. The engine offers and this side answers: the server
   * renegotiates once it accepted the share, and this side answers `psa`/`psv` sendonly then.
   * Stopping takes effect at once (nothing more is sent), and in the answer to the next offer.
   */
  setScreen(screen: ScreenTracks | undefined): Promise<void> {
    this.#screen = screen;
    return this.encryptionChanged();
  }

  /** Encryption started or stopped: the screen's audio goes or stops accordingly (#attachScreen). */
  encryptionChanged(): Promise<void> {
    const next = this.#queue.then(() => this.#attachScreen());
    this.#queue = next.catch(() => {});
    return next;
  }

  /**
   * Tells the engine at which height this client shows each participant's video (0 = hidden) and
   * whom it pins: the engine forwards the simulcast layer that fits and, under last-N, keeps pinned
   * participants' video.
   */
  setVideoConstraints(constraints: VideoConstraints): void {
    if (!this.#closed) this.emit('signal', { videoConstraints: constraints });
  }

  /** Reports the layers now, then again after FIRST_LAYER_POLL_MS or LAYER_POLL_MS. */
  #pollLayers(connectedAt: number): void {
    void this.#reportLayers().finally(() => {
      if (this.#closed) return;
      const fast = !this.#reportedLayers && Date.now() - connectedAt < FIRST_LAYER_POLL_FOR_MS;
      this.#layerTimer = setTimeout(
        () => this.#pollLayers(connectedAt),
        fast ? FIRST_LAYER_POLL_MS : LAYER_POLL_MS,
      );
    });
  }

  /**
   * Simulcast: the engine (libdatachannel) accepts RTP only from SSRCs that the answer declares,
   * and a browser's rid-based simulcast answer declares none. So the client reports each layer's
   * SSRC (getStats outbound-rtp, by rid); the engine then renegotiates and adds them to the answer.
   */
  async #reportLayers(): Promise<void> {
    const stats = await this.#pc.getStats().catch(() => undefined);
    if (!stats || this.#closed) return;
    const { layers, key } = simulcastLayers(stats);
    if (!key || key === this.#reportedLayers) return;
    this.#reportedLayers = key;
    this.emit('signal', { simulcast: layers });
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#pc.connectionState;
  }

  /** Applies the engine's offers, candidates and send heights in arrival order. */
  handleSignal(payload: EngineSignal): Promise<void> {
    const next = this.#queue.then(() => this.#apply(payload));
    this.#queue = next.catch(() => {});
    return next;
  }

  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.#pc.getTransceivers().find((t) => t.mid === PUBLISH_MIDS[kind]);
    if (transceiver) await transceiver.sender.replaceTrack(track);
  }

  getStats(): Promise<RTCStatsReport> {
    return this.#pc.getStats();
  }

  #declareLost(): void {
    if (this.#lost || this.#closed) return;
    this.#lost = true;
    this.emit('lost');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#layerTimer);
    clearTimeout(this.#lostTimer);
    this.#pc.onicecandidate = null;
    this.#pc.ontrack = null;
    this.#pc.onconnectionstatechange = null;
    this.#pc.close();
    this.#standIns.stop();
    this.removeAllListeners();
  }

  async #apply({ description, candidate, maxSendHeight }: EngineSignal): Promise<void> {
    if (this.#closed) return;
    if (maxSendHeight !== undefined) {
      this.#maxSendHeight = maxSendHeight;
      await this.#pauseUnwantedLayers();
    }
    if (description) {
      if (description.type !== 'offer') return;
      await this.#pc.setRemoteDescription(description);
      await this.#attachLocalTracks();
      await this.#attachScreen();
      // Chromium (156) re-activates every simulcast layer when it applies an offer that asks for
      // them (`a=simulcast:recv l;m;h`), so each renegotiation — someone joins or leaves, the engine
      // declares the layers' SSRCs — would undo the pause, and the engine does not repeat an
      // unchanged send height. The engine offers the layers it knows paused as paused (`~h`), which
      // Chromium keeps; for any other, paused again here, the answer marks them paused as well.
      await this.#pauseUnwantedLayers();
      const answer = await this.#pc.createAnswer();
      await this.#pc.setLocalDescription(answer);
      const local = this.#pc.localDescription;
      if (local && !this.#closed) this.emit('signal', { description: { type: 'answer', sdp: local.sdp } });
    } else if (candidate) {
      await this.#pc.addIceCandidate(candidate);
    }
  }

  /**
   * Simulcast: pauses the layers above the first one at least `maxSendHeight` tall (nobody shows
   * this video bigger, so their encoding is wasted CPU and uplink) and resumes them when someone
   * does. The lowest layer always runs, so a tile that appears has video at once.
   */
  async #pauseUnwantedLayers(): Promise<void> {
    const sender = this.#pc.getTransceivers().find((t) => t.mid === PUBLISH_MIDS.video)?.sender;
    const height = sender?.track?.getSettings().height;
    if (!sender || !height) return;
    const params = sender.getParameters();
    const encodings = params.encodings ?? [];
    if (encodings.length < 2 || !encodings.every((e) => e.rid)) return;
    let changed = false;
    encodings.forEach((encoding, i) => {
      const below = encodings[i - 1];
      const active = !below || height / (below.scaleResolutionDownBy ?? 1) < this.#maxSendHeight;
      if (encoding.active !== active) {
        encoding.active = active;
        changed = true;
      }
    });
    if (changed) await sender.setParameters(params).catch(() => {});
  }

  /** The screen's m-lines send the screen, or nothing (inactive: the engine forwards nothing). */
  async #attachScreen(): Promise<void> {
    if (this.#closed) return;
    for (const kind of ['audio', 'video'] as const) {
      const transceiver = this.#pc.getTransceivers().find((t) => t.mid === SCREEN_PUBLISH_MIDS[kind]);
      if (!transceiver) continue;
      // While encrypting (E2EE), a screen's audio goes only through a sender added before the
      // engine's first offer (the constructor: the screen's own, or the stand-in): on Chromium 156
      // the SFU saw it in clear when its transform was set on the transceiver the offer made,
      // whether when the share started or when `psa` was first answered (its video was
      // encrypted), and P11 allows no frame in clear. Without such a sender (no microphone) it is
      // not sent. Without E2EE nothing is encrypted anyway, and the audio goes (E2EE turned on
      // later stops it first: encryptionChanged).
      const track = this.#screen?.tracks.find(
        (t) =>
          t.kind === kind &&
          (kind === 'video' ||
            !this.#options.transforms?.encrypting ||
            this.#paired.has(t) ||
            transceiver.sender === this.#screenAudioSender),
      );
      if (!track) {
        if (transceiver.sender.track) await transceiver.sender.replaceTrack(null);
        this.#standIns.stop();
        transceiver.direction = 'inactive';
        continue;
      }
      if (transceiver.sender.track !== track) {
        this.#attachSender(transceiver.sender, kind);
        await transceiver.sender.replaceTrack(track);
        this.#standIns.stop();
        const stream = this.#screen?.stream;
        if (stream && typeof transceiver.sender.setStreams === 'function')
          transceiver.sender.setStreams(stream);
      }
      if (kind === 'video') await applyScreenEncoding(transceiver.sender);
      transceiver.direction = 'sendonly';
    }
  }

  #attachSender(sender: RTCRtpSender, kind: 'audio' | 'video'): void {
    if (this.#transformed.has(sender)) return;
    this.#transformed.add(sender);
    this.#options.transforms?.attachSender(sender, kind);
  }

  /** Makes the publish m-lines send the local tracks (the first time they appear). */
  async #attachLocalTracks(): Promise<void> {
    for (const kind of ['audio', 'video'] as const) {
      const transceiver = this.#pc.getTransceivers().find((t) => t.mid === PUBLISH_MIDS[kind]);
      if (!transceiver || transceiver.direction === 'sendonly' || transceiver.direction === 'inactive')
        continue;
      if (transceiver.sender.track && !this.#standIns.has(transceiver.sender.track)) {
        // Paired with the sender added in the constructor.
        if (kind === 'video') await scaleSimulcastLayers(transceiver.sender);
        transceiver.direction = 'sendonly';
        continue;
      }
      const track = this.#options.localTracks.find((t) => t.kind === kind);
      if (!track) {
        if (transceiver.sender.track) await transceiver.sender.replaceTrack(null);
        transceiver.direction = 'inactive';
        continue;
      }
      this.#attachSender(transceiver.sender, kind);
      await transceiver.sender.replaceTrack(track);
      if (kind === 'video') await scaleSimulcastLayers(transceiver.sender);
      if (this.#options.localStream && typeof transceiver.sender.setStreams === 'function') {
        transceiver.sender.setStreams(this.#options.localStream);
      }
      transceiver.direction = 'sendonly';
    }
  }
}

function kindOf(track: MediaStreamTrack): 'audio' | 'video' {
  return track.kind === 'audio' ? 'audio' : 'video';
}
