import { Conference, type JoinOptions } from '@conclave/client';
import { WebSocket } from 'ws';

/**
 * The real client joining from Node with no WebRTC: signalling only (chat, presence, moderation,
 * pins), for tests of the `Conference` API against a real server. The caller leaves it.
 */
export function joinWithoutMedia(serverUrl: string, room: string, displayName: string): Promise<Conference> {
  return Conference.join({
    serverUrl,
    room,
    displayName,
    WebSocket: WebSocket as unknown as NonNullable<JoinOptions['WebSocket']>,
  });
}
