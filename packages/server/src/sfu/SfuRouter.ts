import type { Logger } from '../log/logger.js';
import { DominantSpeakerDetector } from './DominantSpeaker.js';
import { maxSendHeight } from './downlink.js';
import { noteSpeaker, selectLastN } from './lastN.js';
import type {
  MediaEngineStats,
  MediaRouter,
  MediaRouterEvents,
  MediaSession,
  MediaSessionEvents,
  MediaTap,
  MediaTapHandle,
} from './MediaEngine.js';
import { PeerSession, type PeerSessionContext } from './PeerSession.js';
import { type Slot, slotSource } from './slots.js';

export type RouterContext = Omit<
  PeerSessionContext,
  'onAudioLevel' | 'onClosed' | 'onPublishing' | 'onVideoConstraints' | 'onLayersUnreported'
> & {
  /** Forward video only from the N most recent dominant speakers (plus pinned); 0 = everyone. */
  lastN?: number;
  /** Called when the router has closed. */
  onClosed(router: SfuRouter): void;
};

const SPEAKER_TICK_MS = 300;
/** How often publishers' send heights are recomputed (joins, leaves, last-N, layers declared). */
const SEND_HEIGHT_TICK_MS = 500;

/**
 * One meeting's forwarding plane: what a participant publishes (known from its answer) is
 * subscribed by every other session; participants who publish nothing cost no m-lines and no
 * renegotiation. It also runs dominant-speaker detection over the audio levels its sessions see,
 * and last-N (video from the N most recent speakers plus pinned participants only).
 */
export class SfuRouter implements MediaRouter {
  readonly #sessions = new Map<string, PeerSession>();
  readonly #speaker = new DominantSpeakerDetector();
  readonly #taps = new Set<MediaTap>();
  readonly #speakerTimer: NodeJS.Timeout;
  readonly #sendHeightTimer: NodeJS.Timeout;
  /** Dominant speakers, most recent first (last-N). */
  readonly #speakers: string[] = [];
  /**
   * Participants whose client answered with simulcast but never reported its layers: their next
   * sessions ask for one layer. Goes with the meeting; at most one entry per participant.
   */
  readonly #singleLayer = new Set<string>();
  #closed = false;

  constructor(
    private readonly events: MediaRouterEvents,
    private readonly ctx: RouterContext,
    private readonly log: Logger,
  ) {
    this.#speakerTimer = setInterval(() => {
      const speaker = this.#speaker.tick(performance.now());
      if (speaker === undefined) return;
      this.events.dominantSpeaker(speaker);
      noteSpeaker(this.#speakers, speaker);
      this.#applyLastN();
    }, SPEAKER_TICK_MS);
    this.#speakerTimer.unref();
    this.#sendHeightTimer = setInterval(() => this.#updateSendHeights(), SEND_HEIGHT_TICK_MS);
    this.#sendHeightTimer.unref();
  }

  get stats(): MediaEngineStats {
    return this.ctx.stats;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  openSession(participantId: string, events: MediaSessionEvents): MediaSession {
    if (this.#closed) throw new Error('router closed');
    this.#sessions.get(participantId)?.close();
    const session = new PeerSession(participantId, events, {
      ...this.ctx,
      simulcast: this.ctx.simulcast && !this.#singleLayer.has(participantId),
      log: this.log,
      onLayersUnreported: () => this.#singleLayer.add(participantId),
      onAudioLevel: (id, level) => this.#speaker.observe(id, level),
      onPublishing: (publisher, kind, on) => this.#publishing(publisher, kind, on),
      onVideoConstraints: () => {
        this.#applyLastN();
        this.#updateSendHeights();
      },
      onClosed: (closed) => this.#sessionClosed(closed),
    });
    const others = [...this.#sessions.values()];
    this.#sessions.set(participantId, session);
    this.ctx.stats.sessions++;
    for (const pub of Object.values(session.publications)) {
      pub.onRtp = (packet, layer, keyframe) => {
        if (this.#taps.size === 0) return;
        for (const tap of this.#taps) tap.rtp(participantId, pub.kind, packet, layer, keyframe, pub.source);
      };
      pub.onSenderReport = (layer) => {
        for (const tap of this.#taps)
          tap.senderReport?.(
            participantId,
            pub.kind,
            layer.ssrc,
            layer.reportNtpMs,
            layer.reportRtp,
            pub.source,
          );
      };
    }
    for (const other of others)
      for (const slot of other.publishing)
        if (this.#forwards(other.participantId, slot)) session.subscribe(other.publications[slot]);
    session.offer();
    this.#applyLastN();
    return session;
  }

  addTap(tap: MediaTap): MediaTapHandle {
    this.#taps.add(tap);
    const keyframes = (participantId?: string, layer?: number) => {
      if (!this.#taps.has(tap)) return;
      for (const session of this.#sessions.values()) {
        if (participantId === undefined || session.participantId === participantId) {
          const video = session.publications.video;
          video.requestKeyframe(layer ?? video.layers.length - 1);
          // The screen has one layer; its keyframe makes the recording's stage start at once.
          if (session.publishing.has('screen')) session.publications.screen.requestKeyframe(0);
        }
      }
    };
    keyframes();
    // The publishers' last sender reports, so that a recording places tracks by them from its
    // first frame instead of waiting for the next report (audio's come only every few seconds).
    for (const session of this.#sessions.values())
      for (const pub of Object.values(session.publications))
        for (const layer of pub.layers)
          if (layer && Number.isFinite(layer.reportNtpMs))
            tap.senderReport?.(
              session.participantId,
              pub.kind,
              layer.ssrc,
              layer.reportNtpMs,
              layer.reportRtp,
              pub.source,
            );
    return { requestKeyframes: keyframes, close: () => this.#taps.delete(tap) };
  }

  screenShareChanged(participantId: string): void {
    const publisher = this.#sessions.get(participantId);
    if (this.#closed || !publisher) return;
    // The publisher's next answer says whether it sends its screen (it answers the screen m-lines
    // sendonly only while the room lets it present); meanwhile the room's word alone decides.
    publisher.offer();
    for (const slot of ['screen', 'screenAudio'] as const)
      if (publisher.publishing.has(slot)) this.#publishing(publisher, slot, true);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#taps.clear();
    clearInterval(this.#speakerTimer);
    clearInterval(this.#sendHeightTimer);
    for (const session of [...this.#sessions.values()]) session.close();
    this.ctx.onClosed(this);
  }

  #sessionClosed(session: PeerSession): void {
    if (this.#sessions.get(session.participantId) !== session) return;
    this.#sessions.delete(session.participantId);
    this.ctx.stats.sessions--;
    this.#speaker.remove(session.participantId);
    const i = this.#speakers.indexOf(session.participantId);
    if (i >= 0) this.#speakers.splice(i, 1);
    if (this.#closed) return;
    for (const other of this.#sessions.values())
      for (const pub of Object.values(session.publications)) other.unsubscribe(pub);
    this.#applyLastN();
  }

  /** `on`: the publisher sends on `slot` (its answer says so); forwarded only if the room allows it. */
  #publishing(publisher: PeerSession, slot: Slot, on: boolean): void {
    if (this.#closed) return;
    const pub = publisher.publications[slot];
    const forward = on && this.#forwards(publisher.participantId, slot);
    for (const other of this.#sessions.values()) {
      if (other === publisher) continue;
      if (forward) other.subscribe(pub);
      else other.unsubscribe(pub);
    }
    if (slot === 'video') this.#applyLastN();
  }

  /** A camera is always forwarded; a screen only while its publisher may present. */
  #forwards(participantId: string, slot: Slot): boolean {
    return slotSource(slot) === 'camera' || this.events.screenAllowed?.(participantId) === true;
  }

  /**
   * Tells each simulcast publisher the tallest picture anyone shows of its video; a recording
   * wants every video at full size.
   */
  #updateSendHeights(): void {
    if (this.#closed) return;
    const recording = this.#taps.size > 0;
    for (const publisher of this.#sessions.values())
      publisher.setMaxSendHeight(maxSendHeight(publisher.participantId, this.#sessions.values(), recording));
  }

  /** Tells each session whose video it may receive under last-N. */
  #applyLastN(): void {
    const n = this.ctx.lastN ?? 0;
    if (n <= 0 || this.#closed) return;
    const publishers = [...this.#sessions.values()]
      .filter((s) => s.publishing.has('video'))
      .map((s) => s.participantId);
    for (const session of this.#sessions.values()) {
      session.setVideoAllowed(
        selectLastN(session.participantId, publishers, this.#speakers, n, session.pinned),
      );
    }
  }
}
