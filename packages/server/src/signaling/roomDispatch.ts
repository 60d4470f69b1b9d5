import type { ClientMessage } from '@conclave/protocol';
import type { Participant } from '../rooms/Participant.js';
import type { Room } from '../rooms/Room.js';

/** The messages that make sense only inside a meeting: everything but the handshake, join and leave. */
export type InRoomMessage = Exclude<ClientMessage, { type: 'hello' | 'join' | 'leave' }>;

/**
 * Hands one validated in-meeting message to the room, as `participant`. The Connection has checked
 * that this connection is in `room`; the room checks roles and limits. The switch ends in an
 * exhaustiveness check, so a new message type that nobody handles does not compile.
 */
export function dispatchInRoom(room: Room, participant: Participant, message: InRoomMessage): void {
  switch (message.type) {
    case 'signal':
      return room.relaySignal(participant, message.to, message);
    case 'mediaSignal':
      return room.mediaSignal(participant, message);
    case 'mediaStatus':
      return room.mediaStatus(participant, message.connected);
    case 'setMediaState':
      return room.setMediaState(participant, message.audioMuted, message.videoMuted);
    case 'setProfile':
      return room.setProfile(participant, {
        displayName: message.displayName ?? undefined,
        email: message.email ?? undefined,
      });
    case 'setScreenShare':
      return room.screens.set(participant, message.sharing);
    case 'setMultipleScreenShares':
      return room.screens.setMultiple(participant, message.allowed);
    case 'setE2EE':
      return room.setE2EE(participant, message.enabled);
    case 'setPassword':
      return room.setPassword(participant, message.password);
    case 'setLobby':
      return room.setLobby(participant, message.enabled);
    case 'lobbyDecision':
      return room.decideKnock(participant, message.id, message.admit);
    case 'kick':
      return room.kick(participant, message.id);
    case 'requestMute':
      return room.requestMute(participant, message.id);
    case 'muteAll':
      return room.muteAll(participant);
    case 'grantModerator':
      return room.grantModerator(participant, message.id);
    case 'chat':
      return room.chat(participant, message.to, message.body);
    case 'speaking':
      return room.speaking(participant, message.speaking);
    case 'getSpeakerStats':
      return room.sendSpeakerStats(participant);
    case 'startRecording':
      return room.startRecording(participant, message.destination);
    case 'stopRecording':
      return room.stopRecording(participant);
    case 'raiseHand':
      return room.presence.raiseHand(participant);
    case 'lowerHand':
      return room.presence.lowerHand(participant, message.id);
    case 'react':
      return room.presence.react(participant, message.emoji);
    case 'endMeeting':
      return room.end(participant);
    default: {
      const unhandled: never = message;
      throw new Error(`unhandled message ${(unhandled as { type: string }).type}`);
    }
  }
}
