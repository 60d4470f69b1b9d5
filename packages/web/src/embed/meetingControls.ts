import type { Conference } from '@conclave/client';
import type { LocalMedia } from '../media/localMedia.js';
import type { ErrorName } from './messages.js';

/** Why a control did nothing, told to the host page as an `errorOccurred` event. */
export interface Refusal {
  name: ErrorName;
  message: string;
}

/**
 * A feature the meeting page may or may not have (screen sharing, raise hand): the embedding API
 * offers its command and event when the page provides one, and refuses with `not-supported`
 * otherwise — it never pretends.
 */
export interface ControlledFeature<Change> {
  toggle(): Refusal | undefined | Promise<Refusal | undefined>;
  /** Calls `listener` on every change, local or remote; returns the unsubscribe. */
  subscribe(listener: (change: Change) => void): () => void;
}

/**
 * What the embedding API may do in a joined meeting: the same actions as the page's own controls,
 * through the same paths, so the page's UI and its memory for a rejoin stay in step.
 */
export interface MeetingControls {
  toggleAudio(): Refusal | undefined;
  toggleVideo(): Refusal | undefined;
  setDisplayName(name: string): Refusal | undefined;
  /** Moderators set (or with null remove) the meeting password. */
  setPassword(password: string | null): Refusal | undefined;
  sendChatMessage(text: string, to?: string): Promise<Refusal | undefined>;
  hangup(): void;
  /**
   * Pins a participant to this page's stage (null unpins), as the pin buttons do: the stage and
   * the SFU's videoConstraints follow.
   */
  pin(participantId: string | null): Refusal | undefined;
  /** Calls `listener` with every change of the pin (also when the pinned one leaves); returns the unsubscribe. */
  onPinChange(listener: (participantId: string | null) => void): () => void;
  /** Screen sharing (`on`: this participant shares). Absent until the page can share. */
  screenShare?: ControlledFeature<{ on: boolean }>;
  /** Raised hands of everyone in the meeting. Absent until the page has raise hand. */
  raiseHand?: ControlledFeature<{ id: string; handRaised: boolean }>;
}

/** What the meeting page remembers for a rejoin, kept current when the API changes it. */
export interface PageMemory {
  onMuteChange(kind: 'audio' | 'video', muted: boolean): void;
  onDisplayNameChange(name: string): void;
  onPasswordChange(password: string | null): void;
}

export function conferenceControls(
  conference: Conference,
  media: LocalMedia,
  page: PageMemory,
): MeetingControls {
  const toggle = (kind: 'audio' | 'video'): Refusal | undefined => {
    if (!(kind === 'audio' ? media.audio : media.video)) {
      return {
        name: 'no-device',
        message: `this participant has no ${kind === 'audio' ? 'microphone' : 'camera'}`,
      };
    }
    const muted = !(kind === 'audio' ? conference.audioMuted : conference.videoMuted);
    if (kind === 'audio') conference.setAudioMuted(muted);
    else conference.setVideoMuted(muted);
    page.onMuteChange(kind, muted);
    return undefined;
  };
  return {
    toggleAudio: () => toggle('audio'),
    toggleVideo: () => toggle('video'),
    setDisplayName(name) {
      conference.setProfile({ displayName: name, email: conference.self.email ?? null });
      page.onDisplayNameChange(name);
      return undefined;
    },
    setPassword(password) {
      if (!conference.isModerator)
        return { name: 'not-allowed', message: 'only moderators set the password' };
      conference.setPassword(password);
      page.onPasswordChange(password);
      return undefined;
    },
    async sendChatMessage(text, to) {
      if (to !== undefined && !conference.participants.has(to)) {
        return { name: 'invalid', message: 'no such participant in the meeting' };
      }
      await conference.sendChat(text, to);
      return undefined;
    },
    hangup: () => void conference.leave(),
    pin(participantId) {
      // Checked here rather than caught: Conference.pin throws for someone not in the meeting.
      if (
        participantId !== null &&
        participantId !== conference.self.id &&
        !conference.participants.has(participantId)
      ) {
        return { name: 'invalid', message: 'no such participant in the meeting' };
      }
      conference.pin(participantId);
      return undefined;
    },
    onPinChange: (listener) => conference.on('pinned', listener),
    screenShare: {
      async toggle() {
        try {
          if (conference.screenTracks.length) await conference.stopScreenShare();
          else await conference.startScreenShare();
          return undefined;
        } catch (error) {
          // SCREEN_SHARE_BUSY, or the browser refused the picker (no user activation in the iframe).
          return { name: 'failed', message: (error as Error).message || 'the screen could not be shared' };
        }
      },
      subscribe: (listener) => conference.on('screenShareChanged', (on) => listener({ on })),
    },
    raiseHand: {
      toggle() {
        if (conference.handRaised) conference.lowerHand();
        else conference.raiseHand();
        return undefined;
      },
      subscribe: (listener) =>
        conference.on('hands', ({ change }) => {
          if (change) listener({ id: change.id, handRaised: change.raised });
        }),
    },
  };
}
