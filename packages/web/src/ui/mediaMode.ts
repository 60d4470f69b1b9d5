import type { MediaMode } from '@conclave/protocol';

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
      return { label: 'Waiting for others', detail: 'You are the only one here; no media is being sent.' };
    case 'p2p':
      return {
        label: 'Peer-to-peer',
        detail: 'Audio and video go directly between the two browsers, encrypted end to end.',
      };
    case 'sfu':
      return {
        label: 'Via server',
        detail: 'Audio and video are relayed by the meeting server, encrypted on each connection.',
      };
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
      return 'connecting…';
    case 'disconnected':
      return 'reconnecting…';
    case 'failed':
      return 'connection failed';
    default:
      return undefined;
  }
}
