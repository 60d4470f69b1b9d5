import type { IceCandidate, MediaMode, SessionDescription } from '@conclave/protocol';
import { ConclaveError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { MediaEngine, MediaTap, MediaTapHandle } from '../sfu/MediaEngine.js';
import { decideMediaMode, type MediaPolicy } from './mediaMode.js';
import type { Participant } from './Participant.js';
import { RoomMedia } from './RoomMedia.js';
import type { Roster } from './Roster.js';

/** WebRTC negotiation from a participant's browser; never read or logged here. */
export interface PeerSignal {
  description?: SessionDescription | undefined;
  candidate?: IceCandidate | undefined;
  /** P2P: the mids on which the sender sends its shared screen (relayed unread). */
  screenMids?: string[] | undefined;
}

export interface MediaSwitchOptions {
  policy: MediaPolicy;
  /** The SFU, seen only through its interface; absent when this server has none. */
  engine: MediaEngine | undefined;
  /** How long a meeting that shrank to two stays on the SFU before going back to P2P. */
  backToP2PDelayMs: number;
  log: Logger;
  /** Whether the meeting is being recorded now (the recorder taps the media inside the SFU). */
  recording(): boolean;
  /** From the engine's audio-level detection (SFU mode). */
  onDominantSpeaker(participantId: string): void;
}

/**
 * One meeting's media path, as policy: which mode it is in (mediaMode.ts decides from who is
 * present and whether it is recorded), when it switches (a return to P2P waits backToP2PDelayMs),
 * what each participant is told, and the SFU sessions that go with SFU mode (RoomMedia). It sees
 * the engine only through MediaEngine.ts.
 */
export class MediaSwitch {
  #mode: MediaMode = 'none';
  readonly #media: RoomMedia;
  /** Pending return to P2P (see `backToP2PDelayMs`). */
  #p2pTimer: NodeJS.Timeout | undefined;
  #p2pDue = false;
  /** The two of a P2P call could not connect: the call moves to the SFU until the pair changes. */
  #p2pFailed = false;

  constructor(
    private readonly roster: Roster,
    private readonly options: MediaSwitchOptions,
  ) {
    this.#media = new RoomMedia(
      options.engine,
      (id) => options.onDominantSpeaker(id),
      (id) => roster.get(id)?.screenSharing === true,
    );
  }

  get mode(): MediaMode {
    return this.#mode;
  }

  /** Taps the meeting's incoming media for the recorder; undefined when there is no engine. */
  tap(tap: MediaTap): MediaTapHandle | undefined {
    return this.#media.tap(tap);
  }

  /** The participant started or stopped presenting: the engine starts or stops forwarding its screen. */
  screenShareChanged(participant: Participant): void {
    this.#media.screenShareChanged(participant.id);
  }

  /** P2P negotiation, relayed to the other peer unread. */
  relay(from: Participant, to: string, payload: PeerSignal): void {
    const target = this.roster.get(to);
    if (!target || target === from) throw new ConclaveError('UNKNOWN_PARTICIPANT');
    if (this.#mode !== 'p2p') throw new ConclaveError('WRONG_MEDIA_MODE');
    target.send({
      type: 'signal',
      from: from.id,
      ...(payload.description ? { description: payload.description } : {}),
      ...(payload.candidate ? { candidate: payload.candidate } : {}),
      ...(payload.screenMids ? { screenMids: payload.screenMids } : {}),
    });
  }

  /**
   * Negotiation from a participant's client to its SFU session, or its request for a new one (the
   * client lost its session); refused when it has no session to take it.
   */
  signal(participant: Participant, payload: PeerSignal & { restart?: true | undefined }): void {
    const accepted = payload.restart
      ? this.#media.restart(participant.id)
      : this.#media.signal(participant.id, payload);
    if (!accepted) throw new ConclaveError('WRONG_MEDIA_MODE');
  }

  /** Someone joined (the mode follows with `update`): a pair that failed to connect is no more. */
  join(participant: Participant): void {
    if (participant.media !== 'unsupported') this.#p2pFailed = false;
  }

  /** The participant left: its session goes (the mode follows with `update`). */
  leave(participant: Participant): void {
    if (participant.media !== 'unsupported') this.#p2pFailed = false;
    this.#media.close(participant.id);
  }

  /** A P2P call could not connect: it moves to the SFU (where there is one), which often can. */
  p2pFailed(): void {
    if (this.#mode !== 'p2p' || !this.options.policy.sfuAvailable) return;
    this.#p2pFailed = true;
    this.update();
  }

  /** Idempotent: every session and the pending switch go. */
  close(): void {
    clearTimeout(this.#p2pTimer);
    this.#media.closeAll();
  }

  /**
   * Decides the mode again after a join, a leave or a recording's start or end, and tells everyone
   * what changed. In SFU mode every participant without a live session gets one
   * (all of them on a switch, else the newcomer); in P2P mode the pair is told who offers.
   */
  update(): void {
    // Only those who can connect media have a path; the others stay in `none` throughout.
    const connecting = this.roster.byArrival().filter((p) => p.media !== 'unsupported');
    let mode = decideMediaMode(
      connecting.length,
      this.options.policy,
      this.options.recording() || this.#p2pFailed,
    );
    const delay = this.options.backToP2PDelayMs;
    if (mode === 'p2p' && this.#mode === 'sfu' && delay > 0 && !this.#p2pDue) {
      // Stay on the SFU for a while: someone leaving and rejoining must not make everyone switch twice.
      mode = 'sfu';
      this.#p2pTimer ??= setTimeout(() => {
        this.#p2pTimer = undefined;
        this.#p2pDue = true;
        this.update();
        this.#p2pDue = false;
      }, delay);
      this.#p2pTimer.unref();
    } else if (mode !== 'sfu' || connecting.length > 2) {
      clearTimeout(this.#p2pTimer);
      this.#p2pTimer = undefined;
    }
    const changed = mode !== this.#mode;
    const wasSfu = this.#mode === 'sfu';
    this.#mode = mode;
    if (mode === 'sfu') {
      if (changed) for (const p of connecting) p.send({ type: 'mediaMode', mode });
      for (const p of connecting) {
        if (!this.#media.isOpen(p.id))
          this.#media.open(p.id, {
            signal: (signal) => p.send({ type: 'mediaSignal', ...signal }),
            reopened: () => {
              this.options.log.info('room.media_reopened');
              // The client opens a new SFU PeerConnection on `mediaMode: sfu`, even when in SFU mode.
              p.send({ type: 'mediaMode', mode: 'sfu' });
            },
          });
      }
      if (changed) this.options.log.info('room.mode', { p2p: false, sfu: true });
      return;
    }
    if (wasSfu && changed) this.#media.drain();
    if (mode === 'p2p') {
      // Recomputed on every change: the pair may differ even when the mode does not.
      const [a, b] = connecting;
      if (!a || !b) return;
      // The newcomer offers: it is the one whose media the other side does not have yet.
      a.send({ type: 'mediaMode', mode, peer: { id: b.id, offerer: false } });
      b.send({ type: 'mediaMode', mode, peer: { id: a.id, offerer: true } });
    } else if (changed) {
      for (const p of connecting) p.send({ type: 'mediaMode', mode });
    }
    if (changed) this.options.log.info('room.mode', { p2p: mode === 'p2p', sfu: false });
  }
}
