import type { MediaMode } from '@conclave/protocol';
import { t } from '../i18n/index.js';

/*
 * The media path is always shown (people asked for it: other meeting apps hide whether media goes
 * directly between browsers or through the server).
 */

export interface ModeLabel {
  label: string;
  /** A longer explanation for the tooltip and screen readers. */
  detail: string;
}

export function mediaModeLabel(mode: MediaMode): ModeLabel {
  switch (mode) {
    case 'none':
      return { label: t('mode.none'), detail: t('mode.noneDetail') };
    case 'p2p':
      return { label: t('mode.p2p'), detail: t('mode.p2pDetail') };
    case 'sfu':
      return { label: t('mode.sfu'), detail: t('mode.sfuDetail') };
    default: {
      const unknown: never = mode;
      return unknown;
    }
  }
}

/** Extra words for the connection state of the current media path, or undefined when all is well. */
export function connectionNote(state: RTCPeerConnectionState): string | undefined {
  switch (state) {
    case 'new':
    case 'connecting':
      return t('mode.connecting');
    case 'disconnected':
      return t('mode.reconnecting');
    case 'failed':
      return t('mode.failed');
    default:
      return undefined;
  }
}
