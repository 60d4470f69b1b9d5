import type { ParticipantInfo } from '@conclave/protocol';

/*
 * Words for a participant whose audio and video cannot reach the others (issue 17, finding 12):
 * a browser without WebRTC (Debian's WebKitGTK, for one), or a media path that did not come up.
 */

/** True where this browser can make media connections at all. */
export function browserHasWebRTC(): boolean {
  return typeof globalThis.RTCPeerConnection === 'function';
}

/** The pre-join screen's notice for a browser without WebRTC: what happens, and what to use instead. */
export const NO_WEBRTC_NOTICE =
  'This browser cannot take part with audio or video: it does not support WebRTC. ' +
  'You can still join to chat and see who is here. For audio and video, open this link in a ' +
  'current Firefox, Chrome, Edge or Safari.';

/** Short words for someone's media problem (participant list, tile), or undefined when there is none. */
export function mediaProblem(info: Pick<ParticipantInfo, 'media'>): string | undefined {
  switch (info.media) {
    case 'unsupported':
      return 'no audio or video: their browser cannot connect';
    case 'failed':
      return 'audio and video could not connect';
    default:
      return undefined;
  }
}

/** A notice for everyone else when someone's media becomes unavailable, or undefined. */
export function mediaProblemNotice(name: string, info: Pick<ParticipantInfo, 'media'>): string | undefined {
  switch (info.media) {
    case 'unsupported':
      return `${name}'s browser cannot join with audio or video (it has no WebRTC); you can still chat.`;
    case 'failed':
      return `${name}'s audio and video could not connect.`;
    default:
      return undefined;
  }
}
