import { ConclaveError } from '../errors.js';
import type { Participant } from './Participant.js';

/** Every moderator action checks the role on the server, whatever the UI shows. */
export function requireModerator(participant: Participant): void {
  if (participant.role !== 'moderator') throw new ConclaveError('NOT_MODERATOR');
}
