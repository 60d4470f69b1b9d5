import type { ServerMessage, ServerMessageOf } from '@conclave/protocol';
import { canDoE2EE } from './e2ee/browserSupport.js';
import type { WebRTCImpl } from './media/MediaPath.js';
import { ServerError } from './signaling/ServerError.js';
import { SignalingClient, type WebSocketConstructor } from './signaling/SignalingClient.js';

export interface JoinOptions {
  /** The Conclave server, e.g. `https://meet.example.org` or `http://127.0.0.1:8080`. */
  serverUrl: string;
  room: string;
  displayName?: string;
  email?: string;
  /** The meeting password, when the meeting is locked; it also lets its holder skip the lobby. */
  password?: string;
  /** Called when the meeting has a lobby and this join waits for a moderator. */
  onLobbyWaiting?: () => void;
  /** Aborts a join that is still connecting or waiting in the lobby. */
  signal?: AbortSignal;
  /**
   * Local tracks to publish; at most one audio and one video track. A promise (devices still
   * opening) lets the signalling join run meanwhile: nothing is sent until both are done.
   */
  localTracks?: MediaStreamTrack[] | Promise<MediaStreamTrack[]>;
  /** Browsers use the globals; Node load bots pass @roamhq/wrtc and the `ws` WebSocket. */
  webrtc?: WebRTCImpl;
  /** How long a media path may take to connect before the server is told it failed (default 15 s). */
  mediaTimeoutMs?: number;
  /**
   * `'relay'` sends all media through the TURN server the Conclave server hands out (hides this
   * device's address from the peer in P2P; the path for UDP-blocked networks). Default `'all'`.
   */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** How long the signalling connection may take to open (default: as long as the browser lets it). */
  connectTimeoutMs?: number;
  /**
   * A signalling connection opened beforehand (`SignalingClient.connect(signalingUrl(serverUrl))`;
   * the pre-join screen opens one while the camera preview runs), so that the join sends `join` at
   * once instead of first opening a socket and waiting for `welcome`. Used if it opened, is still
   * open and goes to `serverUrl`; otherwise, and if it turns out dead when `join` goes out, a new
   * connection is made. The join owns it from then on (closed on failure, like its own).
   */
  connection?: Promise<SignalingClient>;
  WebSocket?: WebSocketConstructor;
}

export interface Joined {
  signaling: SignalingClient;
  joined: ServerMessageOf<'joined'>;
  /**
   * The messages that followed `joined` before anyone else listened, and stops keeping them. A
   * browser delivers each message as a task of its own, so there are none; Node's `ws` delivers all
   * the frames of one read at once, and the `mediaMode` right behind `joined` was lost.
   */
  takeBacklog(): ServerMessage[];
}

/**
 * Connects, asks to join and waits for the answer (through the lobby, if the meeting has one).
 * On failure or abort the connection is closed and the error thrown.
 */
export async function joinMeeting(options: JoinOptions): Promise<Joined> {
  const early = await openedEarly(options);
  if (early) {
    try {
      return await joinOn(early, options);
    } catch (err) {
      // Dead since it opened (a laptop that slept, a proxy's idle timeout): ask on a new one.
      if (!(err instanceof ServerError && err.code === 'NOT_CONNECTED')) throw err;
    }
  }
  const signaling = await SignalingClient.connect(
    signalingUrl(options.serverUrl),
    options.WebSocket,
    options.connectTimeoutMs,
  );
  return joinOn(signaling, options);
}

/** `options.connection`, if it opened and can still carry this join; closed otherwise. */
async function openedEarly(options: JoinOptions): Promise<SignalingClient | undefined> {
  const early = await options.connection?.catch(() => undefined);
  if (!early || early.closed || early.url !== signalingUrl(options.serverUrl)) {
    early?.close();
    return undefined;
  }
  return early;
}

async function joinOn(signaling: SignalingClient, options: JoinOptions): Promise<Joined> {
  let backlog: ServerMessage[] | undefined;
  const offBacklog = signaling.on('message', (m) => {
    if (backlog) backlog.push(m);
    else if (m.type === 'joined') backlog = [];
  });
  const takeBacklog = () => {
    offBacklog();
    return backlog ?? [];
  };
  const offWaiting = signaling.on('message', (m) => {
    if (m.type === 'lobbyWaiting') options.onLobbyWaiting?.();
  });
  const aborted = new Promise<never>((_, reject) => {
    const abort = () => reject(new ServerError('ABORTED', 'The join was cancelled.'));
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener('abort', abort, { once: true });
  });
  try {
    const joined = signaling.waitFor('joined', 'join');
    signaling.send({
      type: 'join',
      room: options.room,
      ...(options.displayName ? { displayName: options.displayName } : {}),
      ...(options.email ? { email: options.email } : {}),
      ...(options.password ? { password: options.password } : {}),
      // Lets the others' UI tell "cannot encrypt" from "chose not to" (docs/e2ee.md).
      e2eeSupported: canDoE2EE(),
      // Without WebRTC the server leaves this participant out of the media paths and tells the others.
      media: hasWebRTC(options.webrtc),
    });
    return { signaling, joined: await Promise.race([joined, aborted]), takeBacklog };
  } catch (err) {
    offBacklog();
    signaling.close();
    throw err;
  } finally {
    offWaiting();
  }
}

/** Whether media paths can be made at all (a WebKitGTK build without WebRTC cannot). */
export function hasWebRTC(webrtc: WebRTCImpl | undefined): boolean {
  return typeof (webrtc ?? globalThis).RTCPeerConnection === 'function';
}

/** `http(s)://host` → `ws(s)://host/ws`; a ws(s) URL is used as given. */
export function signalingUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return url.toString();
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = '/ws';
  url.search = '';
  url.hash = '';
  return url.toString();
}
