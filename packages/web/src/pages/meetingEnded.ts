import type { LeaveReason } from '@conclave/client';
import { t } from '../i18n/index.js';

/** The test id of the card the meeting page shows when a meeting ended, by reason. */
export const ENDED_TESTIDS: Record<LeaveReason, string> = {
  left: 'meeting-ended',
  disconnected: 'meeting-lost',
  kicked: 'meeting-kicked',
  ended: 'meeting-ended-for-all',
};

/** The ended card's words. A plain `string` on purpose: reasons the client may add later still get a sensible card. */
export function endedWords(
  reason: LeaveReason | (string & {}),
  endedBySelf: boolean,
): { title: string; text: string } {
  switch (reason) {
    case 'ended':
      return endedBySelf
        ? { title: t('ended.bySelf'), text: t('ended.bySelfText') }
        : { title: t('ended.byModerator'), text: t('ended.byModeratorText') };
    case 'left':
      return { title: t('ended.left'), text: t('ended.leftText') };
    case 'disconnected':
      return { title: t('ended.lost'), text: t('ended.lostText') };
    case 'kicked':
      return { title: t('ended.kicked'), text: t('ended.kickedText') };
    default:
      return { title: t('ended.other'), text: t('ended.otherText') };
  }
}
