import type { Conference } from '@conclave/client';
import type { MeetingControls } from './meetingControls.js';
import type { EmbedEvent, ParticipantSummary } from './messages.js';

/**
 * Turns one joined conference into the embedding API's events: who joins and leaves, this
 * participant's mute states and pin, the dominant speaker, chat from others, and — where the page
 * has the features — screen sharing and raised hands. It only listens; `close` ends the meeting
 * for the host page (`videoConferenceLeft`) and detaches, once.
 */
export class MeetingEvents {
  readonly #conference: Conference;
  readonly #room: string;
  readonly #emit: (event: EmbedEvent) => void;
  readonly #offs: (() => void)[] = [];
  #audioMuted: boolean;
  #videoMuted: boolean;
  #closed = false;

  constructor(
    conference: Conference,
    controls: MeetingControls,
    room: string,
    emit: (event: EmbedEvent) => void,
  ) {
    this.#conference = conference;
    this.#room = room;
    this.#emit = emit;
    const self = conference.self;
    this.#audioMuted = self.audioMuted;
    this.#videoMuted = self.videoMuted;
    emit({
      name: 'videoConferenceJoined',
      data: { roomName: room, id: self.id, ...(self.displayName ? { displayName: self.displayName } : {}) },
    });
    emit({ name: 'audioMuteStatusChanged', data: { muted: self.audioMuted } });
    emit({ name: 'videoMuteStatusChanged', data: { muted: self.videoMuted } });
    // As with Jitsi, the people already there are announced like those who come later.
    for (const p of conference.participants.values()) this.#joined(p.id, p.displayName);

    this.#offs.push(
      conference.on('participantJoined', (p) => this.#joined(p.id, p.displayName)),
      conference.on('participantLeft', (p) => emit({ name: 'participantLeft', data: { id: p.id } })),
      conference.on('selfUpdated', (s) => {
        if (s.audioMuted !== this.#audioMuted) {
          this.#audioMuted = s.audioMuted;
          emit({ name: 'audioMuteStatusChanged', data: { muted: s.audioMuted } });
        }
        if (s.videoMuted !== this.#videoMuted) {
          this.#videoMuted = s.videoMuted;
          emit({ name: 'videoMuteStatusChanged', data: { muted: s.videoMuted } });
        }
      }),
      conference.on('dominantSpeaker', (id) => emit({ name: 'dominantSpeakerChanged', data: { id } })),
      conference.on('chatMessage', (entry) => {
        // Own messages are not "incoming"; one that could not be decrypted has no text to give.
        if (entry.from === conference.self.id || entry.text === null || entry.text === '') return;
        const nick = conference.participants.get(entry.from)?.displayName;
        emit({
          name: 'incomingMessage',
          data: {
            from: entry.from,
            ...(nick ? { nick } : {}),
            message: entry.text,
            privateMessage: entry.to !== undefined,
            stamp: entry.sentAt,
          },
        });
      }),
      controls.onPinChange((id) => emit({ name: 'pinnedParticipantChanged', data: { id } })),
      conference.on('left', () => this.close()),
    );
    if (controls.screenShare) {
      this.#offs.push(
        controls.screenShare.subscribe((c) => emit({ name: 'screenSharingStatusChanged', data: c })),
      );
    }
    if (controls.raiseHand) {
      this.#offs.push(controls.raiseHand.subscribe((c) => emit({ name: 'raiseHandUpdated', data: c })));
    }
  }

  /** Everyone in the meeting, this participant first. */
  participants(): ParticipantSummary[] {
    const self = this.#conference.self;
    return [self, ...this.#conference.participants.values()].map((p) => ({
      participantId: p.id,
      ...(p.displayName ? { displayName: p.displayName } : {}),
      role: p.role,
      audioMuted: p.audioMuted,
      videoMuted: p.videoMuted,
      local: p.id === self.id,
    }));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#offs) off();
    this.#emit({ name: 'videoConferenceLeft', data: { roomName: this.#room } });
  }

  #joined(id: string, displayName: string | undefined): void {
    this.#emit({ name: 'participantJoined', data: { id, ...(displayName ? { displayName } : {}) } });
  }
}
