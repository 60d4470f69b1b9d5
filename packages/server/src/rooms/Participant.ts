import type { MediaAvailability, ParticipantInfo, Role, ServerMessage } from '@conclave/protocol';

export interface Profile {
  displayName?: string | undefined;
  email?: string | undefined;
}

/**
 * One person in one meeting. Owned by its Room; holds only what the meeting needs while it lasts
 * (PRIVACY P5: the profile is never written anywhere). `send` is the signalling connection's sink.
 */
export class Participant {
  role: Role = 'participant';
  audioMuted = false;
  videoMuted = false;
  e2ee = false;
  /** Whether this participant's audio and video can reach the others (see ParticipantInfo.media). */
  media: MediaAvailability = 'available';
  /** The room accepted this participant's screen share (rooms/ScreenShares.ts). */
  screenSharing = false;
  #profile: Profile;
  #closed = false;

  constructor(
    readonly id: string,
    /** Order of arrival in the room; the longest-present participant has the smallest. */
    readonly arrival: number,
    profile: Profile,
    private readonly sink: (message: ServerMessage) => void,
    /** What the client declared in `join`; never verified, so it only informs the others' UI. */
    readonly e2eeSupported: boolean,
  ) {
    this.#profile = { ...profile };
  }

  get closed(): boolean {
    return this.#closed;
  }

  get profile(): Readonly<Profile> {
    return this.#profile;
  }

  setProfile(profile: Profile): void {
    this.#profile = { ...profile };
  }

  send(message: ServerMessage): void {
    if (!this.#closed) this.sink(message);
  }

  info(): ParticipantInfo {
    const { displayName, email } = this.#profile;
    return {
      id: this.id,
      role: this.role,
      audioMuted: this.audioMuted,
      videoMuted: this.videoMuted,
      e2eeIndex: this.arrival + 1,
      e2ee: this.e2ee,
      e2eeSupported: this.e2eeSupported,
      media: this.media,
      screenSharing: this.screenSharing,
      ...(displayName !== undefined ? { displayName } : {}),
      ...(email !== undefined ? { email } : {}),
    };
  }

  /** Idempotent. Drops the profile so nothing of the person outlives their presence. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#profile = {};
  }
}
