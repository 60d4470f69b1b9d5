import { E2EEManager } from './E2EEManager.js';

/** Whether this runtime can do E2EE: a worker and encoded transforms. What `join` declares, too. */
export function canDoE2EE(): boolean {
  return typeof Worker !== 'undefined' && E2EEManager.isSupported();
}

/** The meeting's E2EE manager, or undefined where this runtime cannot encrypt media. */
export function createE2EE(meetingId: string, selfIndex: number): E2EEManager | undefined {
  if (!canDoE2EE()) return undefined;
  return new E2EEManager({ meetingId, selfIndex });
}
