import type { ParticipantInfo } from '@conclave/protocol';
import { t } from '../i18n/index.js';

/*
 * Words for a participant whose audio and video cannot reach the others (issue 17, finding 12):
 * a browser without WebRTC (Debian's WebKitGTK, for one), or a media path that did not come up.
 */

/** True where this browser can make media connections at all. */
export function browserHasWebRTC(): boolean {
  return typeof globalThis.RTCPeerConnection === 'function';
}

/** The pre-join screen's notice for a browser without WebRTC: what happens, and what to use instead. */
export function noWebRTCNotice(): string {
  return t('prejoin.noWebRTC');
}

/** Short words for someone's media problem (participant list, tile), or undefined when there is none. */
export function mediaProblem(info: Pick<ParticipantInfo, 'media'>): string | undefined {
  switch (info.media) {
    case 'unsupported':
      return t('media.unsupported');
    case 'failed':
      return t('media.failed');
    default:
      return undefined;
  }
}

/** A notice for everyone else when someone's media becomes unavailable, or undefined. */
export function mediaProblemNotice(name: string, info: Pick<ParticipantInfo, 'media'>): string | undefined {
  switch (info.media) {
    case 'unsupported':
      return t('media.unsupportedNotice', { name });
    case 'failed':
      return t('media.failedNotice', { name });
    default:
      return undefined;
  }
}
