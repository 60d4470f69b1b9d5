import { randomBytes } from 'node:crypto';
import ndc, { type PeerConnection, type Track } from 'node-datachannel';
import { errorFields, type Logger } from '../log/logger.js';
import { announceCandidate, announceSdp, describeAudio, describeVideo, type Kind } from './codecs.js';
import { Publication, Subscription } from './Forwarding.js';
import type { MediaEngineStats, MediaSession, MediaSessionEvents, MediaSignal } from './MediaEngine.js';

export interface PeerSessionContext {
  port: number;
  bindAddress: string;
  announcedAddress: string;
  /** Bitrate announced to publishers with REMB, so Chromium ramps its video up to it. */
  maxVideoBitrate: number;
  /** A session whose ICE/DTLS is not up by then is closed. */
  connectTimeoutMs: number;
  stats: MediaEngineStats;
  log: Logger;
  onAudioLevel(participantId: string, level: number): void;
  /** Called once, when the session has closed for whatever reason. */
  onClosed(session: PeerSession): void;
}

/** The mids of the two m-lines on which a participant publishes; the client looks for them. */
export const PUBLISH_MIDS: Record<Kind, string> = { audio: 'pa', video: 'pv' };

const REMB_INTERVAL_MS = 1000;

/**
 * The server side of one participant's PeerConnection. The engine is always the offerer: the first
 * offer has two receive-only m-lines (`pa`, `pv`) for what the participant publishes and one
 * send-only pair per other participant; when people come and go the session renegotiates, one
 * offer at a time.
 */
export class PeerSession implements MediaSession {
  readonly publications: Record<Kind, Publication>;
  readonly #pc: PeerConnection;
  // JS references to every Track: an unreferenced one stopped delivering onMessage.
  readonly #tracks: Track[] = [];
  readonly #subscriptions = new Map<PeerSession, Subscription[]>();
  readonly #toSubscribe = new Set<PeerSession>();
  readonly #cname = randomBytes(8).toString('base64url');
  #mids = 0;
  #offering = false;
  #needsOffer = false;
  #connected = false;
  #closed = false;
  readonly #connectTimer: NodeJS.Timeout;
  #rembTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly participantId: string,
    private readonly events: MediaSessionEvents,
    private readonly ctx: PeerSessionContext,
  ) {
    this.#pc = new ndc.PeerConnection('sfu', {
      iceServers: [],
      enableIceUdpMux: true,
      portRangeBegin: ctx.port,
      portRangeEnd: ctx.port,
      ...(ctx.bindAddress ? { bindAddress: ctx.bindAddress } : {}),
      disableAutoNegotiation: true,
    });
    this.#pc.onLocalDescription((sdp, type) => {
      if (this.#closed || type !== 'offer') return;
      this.events.signal({ description: { type: 'offer', sdp: announceSdp(sdp, ctx.announcedAddress) } });
    });
    this.#pc.onLocalCandidate((candidate, mid) => {
      if (this.#closed) return;
      const bare = candidate.startsWith('a=') ? candidate.slice(2) : candidate;
      this.events.signal({
        candidate: { candidate: announceCandidate(bare, ctx.announcedAddress), sdpMid: mid },
      });
    });
    this.#pc.onStateChange((state) => this.#onState(state));

    const audio = new ndc.Audio(PUBLISH_MIDS.audio, 'RecvOnly');
    describeAudio(audio, true);
    const video = new ndc.Video(PUBLISH_MIDS.video, 'RecvOnly');
    describeVideo(video);
    this.publications = {
      audio: this.#publish('audio', this.#pc.addTrack(audio)),
      video: this.#publish('video', this.#pc.addTrack(video)),
    };
    this.#connectTimer = setTimeout(() => {
      if (!this.#connected) this.#fail('timeout');
    }, ctx.connectTimeoutMs);
    this.#connectTimer.unref();
  }

  /** Forward `other`'s media to this participant (renegotiates). */
  subscribe(other: PeerSession): void {
    if (this.#closed || other === this || this.#subscriptions.has(other)) return;
    this.#toSubscribe.add(other);
    this.#negotiate();
  }

  /** Stop forwarding `other`'s media to this participant (renegotiates). */
  unsubscribe(other: PeerSession): void {
    this.#toSubscribe.delete(other);
    const subs = this.#subscriptions.get(other);
    if (!subs || this.#closed) return;
    this.#subscriptions.delete(other);
    for (const sub of subs) {
      sub.close();
      // A closed track's m-line is rejected (port 0) in the next offer; the browser ends the receiver.
      sub.track.close();
    }
    this.#negotiate();
  }

  /** Starts negotiation; the first offer has the session's publish m-lines and any subscriptions queued. */
  start(): void {
    this.#negotiate();
  }

  signal({ description, candidate }: MediaSignal): void {
    if (this.#closed) return;
    try {
      if (description) {
        // The engine offers; an offer from the browser is a protocol violation and is ignored.
        if (description.type !== 'answer' || !this.#offering) return;
        this.#pc.setRemoteDescription(description.sdp, 'answer');
        this.#offering = false;
        if (this.#needsOffer) this.#negotiate();
      } else if (candidate?.candidate) {
        this.#pc.addRemoteCandidate(candidate.candidate, candidate.sdpMid ?? PUBLISH_MIDS.audio);
      }
    } catch (err) {
      // Garbage SDP or candidates from one browser cost only that browser its session.
      this.ctx.log.debug('sfu.bad_signal', errorFields(err));
      this.#fail('bad-signal');
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#connectTimer);
    clearInterval(this.#rembTimer);
    for (const pub of Object.values(this.publications)) pub.close();
    for (const subs of this.#subscriptions.values()) for (const sub of subs) sub.close();
    this.#subscriptions.clear();
    this.#toSubscribe.clear();
    try {
      this.#pc.close();
    } catch {
      // Already torn down by the library.
    }
    this.#tracks.length = 0;
    this.ctx.onClosed(this);
  }

  get connected(): boolean {
    return this.#connected;
  }

  #publish(kind: Kind, track: Track): Publication {
    this.#tracks.push(track);
    // Sends receiver reports, and REMB when asked to (requestBitrate).
    track.setMediaHandler(new ndc.RtcpReceivingSession());
    const pub = new Publication(kind, this.participantId, track, this.ctx.stats, this.ctx.onAudioLevel);
    track.onMessage((packet) => pub.receive(packet));
    return pub;
  }

  #negotiate(): void {
    if (this.#closed) return;
    if (this.#offering) {
      this.#needsOffer = true;
      return;
    }
    this.#needsOffer = false;
    for (const other of this.#toSubscribe) this.#addSubscriptions(other);
    this.#toSubscribe.clear();
    this.#offering = true;
    try {
      this.#pc.setLocalDescription('offer');
    } catch (err) {
      this.ctx.log.warn('sfu.offer_failed', errorFields(err));
      this.#fail('offer');
    }
  }

  #addSubscriptions(other: PeerSession): void {
    const n = ++this.#mids;
    const subs: Subscription[] = [];
    for (const kind of ['audio', 'video'] as const) {
      const ssrc = randomBytes(4).readUInt32BE(0) || 1;
      // The stream id (msid) is the publisher's participant id: it is how the browser tells whose media this is.
      const msid = other.participantId;
      const desc = kind === 'audio' ? new ndc.Audio(`a${n}`, 'SendOnly') : new ndc.Video(`v${n}`, 'SendOnly');
      if (desc instanceof ndc.Audio) describeAudio(desc, false);
      else describeVideo(desc as InstanceType<typeof ndc.Video>);
      desc.addSSRC(ssrc, this.#cname, msid, `${kind}-${n}`);
      const track = this.#pc.addTrack(desc);
      this.#tracks.push(track);
      subs.push(new Subscription(other.publications[kind], track, ssrc, this.ctx.stats));
    }
    this.#subscriptions.set(other, subs);
  }

  #onState(state: string): void {
    if (this.#closed) return;
    if (state === 'connected' && !this.#connected) {
      this.#connected = true;
      clearTimeout(this.#connectTimer);
      this.ctx.log.debug('sfu.session_connected');
      this.#remb();
      this.#rembTimer = setInterval(() => this.#remb(), REMB_INTERVAL_MS);
      this.#rembTimer.unref();
    } else if (state === 'failed' || state === 'closed' || state === 'disconnected') {
      this.#fail(state);
    }
  }

  #remb(): void {
    this.publications.video.requestBitrate(this.ctx.maxVideoBitrate);
  }

  #fail(_reason: 'timeout' | 'bad-signal' | 'offer' | string): void {
    if (this.#closed) return;
    this.ctx.log.debug('sfu.session_failed', { connected: this.#connected });
    const events = this.events;
    this.close();
    events.closed();
  }
}
