import { randomBytes } from 'node:crypto';
import { SCREEN_MID_PREFIX } from '@conclave/protocol';
import ndc, { type PeerConnection, type Track } from 'node-datachannel';
import { describeAudio, describeVideo } from './codecs.js';
import type { MediaEngineStats } from './MediaEngine.js';
import type { Publication } from './Publication.js';
import { type DownlinkFeedback, Subscription } from './Subscription.js';
import { closeTrack } from './tracks.js';

/**
 * One participant's downlink bookkeeping: the publications it receives, each on its own send-only
 * m-line of the participant's PeerConnection, and those waiting for the next offer to add them.
 */
export class Subscriptions {
  readonly #active = new Map<Publication, { sub: Subscription; track: Track }>();
  readonly #pending = new Set<Publication>();
  /** Subscription m-lines made so far (their mids: a1, v2, …). */
  #mids = 0;
  /**
   * Tracks of removed subscriptions, closed but still referenced until the session closes, as
   * every Track of the PeerConnection always was: the native side may still hold them.
   */
  readonly #retired: Track[] = [];
  readonly #cname = randomBytes(8).toString('base64url');
  /** Octets sent on subscriptions since removed, so that octetsSent() never goes backwards. */
  #removedOctets = 0;

  constructor(
    private readonly pc: PeerConnection,
    private readonly stats: MediaEngineStats,
    /** What the subscriber reports about its downlink, from any of its subscriptions. */
    private readonly feedback: DownlinkFeedback,
  ) {}

  /** Payload octets sent to the subscriber so far, over every subscription it has had. */
  octetsSent(): number {
    let total = this.#removedOctets;
    for (const { sub } of this.#active.values()) total += sub.octetsSent;
    return total;
  }

  /** Queues `pub` for the next offer; false when it is received already (nothing to negotiate). */
  queue(pub: Publication): boolean {
    if (this.#active.has(pub)) return false;
    this.#pending.add(pub);
    return true;
  }

  /**
   * Stops receiving `pub`. True when a live subscription closed: its m-line is rejected (port 0)
   * in the next offer, and the browser ends the receiver.
   */
  remove(pub: Publication): boolean {
    if (this.#pending.delete(pub)) return false;
    const entry = this.#active.get(pub);
    if (!entry) return false;
    this.#active.delete(pub);
    this.#removedOctets += entry.sub.octetsSent;
    entry.sub.close();
    entry.track.close();
    this.#retired.push(entry.track);
    return true;
  }

  /**
   * Adds the queued publications to the PeerConnection (just before an offer); `added` is called
   * after each, in order.
   */
  addPending(added: (sub: Subscription) => void): void {
    for (const pub of this.#pending) added(this.#add(pub));
    this.#pending.clear();
  }

  /** The video subscriptions, in the order they were added. */
  videos(): Subscription[] {
    const videos: Subscription[] = [];
    for (const { sub } of this.#active.values()) if (sub.publication.video) videos.push(sub);
    return videos;
  }

  /**
   * The session closes: every subscription ends, and so does its track. Closing the PeerConnection
   * alone ends the tracks' media but not their JS wrappers' onMessage callbacks: node-datachannel
   * holds each one in a global handle until the track is closed, and the callback holds the
   * subscription, its publication, this session and the participant behind it (the soak's leak).
   */
  close(): void {
    for (const { sub, track } of this.#active.values()) {
      sub.close();
      closeTrack(track);
    }
    this.#active.clear();
    this.#pending.clear();
    this.#retired.length = 0;
  }

  #add(pub: Publication): Subscription {
    const n = ++this.#mids;
    const kind = pub.kind;
    const ssrc = randomBytes(4).readUInt32BE(0) || 1;
    // The stream id (msid) is the publisher's participant id: it is how the browser tells whose media
    // this is; a screen's mid starts with SCREEN_MID_PREFIX, which is how it tells screen from camera.
    const msid = pub.ownerId;
    const prefix = pub.source === 'screen' ? SCREEN_MID_PREFIX : '';
    const desc =
      kind === 'audio'
        ? new ndc.Audio(`${prefix}a${n}`, 'SendOnly')
        : new ndc.Video(`${prefix}v${n}`, 'SendOnly');
    if (desc instanceof ndc.Audio) describeAudio(desc, false);
    else describeVideo(desc as InstanceType<typeof ndc.Video>);
    desc.addSSRC(ssrc, this.#cname, msid, `${prefix}${kind}-${n}`);
    // The entry keeps a JS reference to the Track: an unreferenced one stopped delivering onMessage.
    const track = this.pc.addTrack(desc);
    const sub = new Subscription(pub, track, ssrc, this.stats, this.feedback);
    this.#active.set(pub, { sub, track });
    return sub;
  }
}
