import type { Conference } from '@conclave/client';

/**
 * How long, at most, the meeting view waits for the media path after the join (ms). The view's
 * first render and layout take ≈ 0.2 s on a busy machine; run while the page negotiates its media
 * path, they hold up the server's offer and the answer by as much (issue 16, `bench/join-time`).
 */
const MOUNT_CAP_MS = 400;

/**
 * Calls `mount` once the media path has negotiated (its first connection state: the answer is out
 * and ICE is under way), or after MOUNT_CAP_MS, whichever comes first; at once (in a task of its
 * own) when no path is coming: no one else is here, or this browser has no WebRTC. `mount` gets
 * the path's state if it changed meanwhile. Returns a cancel, for a conference that ends first.
 */
export function mountAfterNegotiation(
  conference: Conference,
  mount: (connection: RTCPeerConnectionState | undefined) => void,
): () => void {
  let done = false;
  let connection: RTCPeerConnectionState | undefined;
  const run = () => {
    if (done) return;
    cancel();
    mount(connection);
  };
  const noPath = !conference.canConnectMedia || conference.participants.size === 0;
  const timer = setTimeout(run, noPath ? 0 : MOUNT_CAP_MS);
  // Mounted in a task of its own, so the view's listeners do not miss the rest of this event.
  const off = conference.on('mediaConnectionState', (state) => {
    connection = state;
    setTimeout(run, 0);
  });
  const cancel = () => {
    done = true;
    clearTimeout(timer);
    off();
  };
  return cancel;
}
