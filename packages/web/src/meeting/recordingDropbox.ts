import type { RecordingOptions } from '@conclave/protocol';
import {
  authorizeUrl,
  type CallbackResult,
  challengeS256,
  DROPBOX_CALLBACK_PATH,
  DROPBOX_CHANNEL,
  isCallbackResult,
  randomVerifier,
  readAccessToken,
  tokenRequestBody,
} from '../ui/pkce.js';
import { DropboxSignInError } from './dropboxSignInError.js';

export interface DropboxSettings {
  appKey: string;
  authorizeUrl: string;
  tokenUrl: string;
}

/** The operator's Dropbox app as the server announced it; undefined when Dropbox is not offered. */
export function dropboxSettings(options: RecordingOptions | undefined): DropboxSettings | undefined {
  if (!options?.destinations.includes('dropbox') || !options.dropboxAppKey) return undefined;
  if (!options.dropboxAuthorizeUrl || !options.dropboxTokenUrl) return undefined;
  return {
    appKey: options.dropboxAppKey,
    authorizeUrl: options.dropboxAuthorizeUrl,
    tokenUrl: options.dropboxTokenUrl,
  };
}

/** Long enough to sign in to Dropbox with a second factor; a forgotten popup does not wait forever. */
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/**
 * Runs Dropbox's OAuth 2 PKCE flow and resolves to a short-lived access token. It must be called
 * from the click that asked for it: the popup is opened before the first `await`, or the browser's
 * popup blocker refuses it.
 *
 * The server's `Cross-Origin-Opener-Policy: same-origin` cuts the popup off from this page as soon
 * as it shows Dropbox (so Dropbox's page never gets a handle on the meeting), which is why the
 * callback page answers over a same-origin BroadcastChannel rather than `window.opener`. The
 * `state` ties the answer to this attempt; the code is worthless without the verifier, which never
 * leaves this function. The token is returned to the caller only — never stored or logged.
 */
export function signInToDropbox(settings: DropboxSettings, signal: AbortSignal): Promise<string> {
  const popup = window.open('about:blank', 'conclave-dropbox', 'popup,width=640,height=760');
  if (!popup) return Promise.reject(new DropboxSignInError('popup-blocked'));
  return run(settings, popup, signal).finally(() => {
    // Already severed (and reported closed) once it showed Dropbox; this covers an early failure.
    if (!popup.closed) popup.close();
  });
}

async function run(settings: DropboxSettings, popup: Window, signal: AbortSignal): Promise<string> {
  const verifier = randomVerifier();
  const state = randomVerifier();
  const redirectUri = `${location.origin}${DROPBOX_CALLBACK_PATH}`;
  const channel = new BroadcastChannel(DROPBOX_CHANNEL);
  try {
    const answer = waitForAnswer(channel, state, signal);
    const challenge = await challengeS256(verifier);
    popup.location.href = authorizeUrl({
      authorizeUrl: settings.authorizeUrl,
      appKey: settings.appKey,
      redirectUri,
      challenge,
      state,
    });
    const result = await answer;
    if (result.kind === 'error') throw new DropboxSignInError('denied');
    let response: Response;
    try {
      response = await fetch(settings.tokenUrl, {
        method: 'POST',
        body: tokenRequestBody({ code: result.code, verifier, appKey: settings.appKey, redirectUri }),
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        signal,
      });
    } catch {
      throw new DropboxSignInError(signal.aborted ? 'cancelled' : 'token-failed');
    }
    if (!response.ok) throw new DropboxSignInError('token-failed');
    const token = readAccessToken(await response.json().catch(() => undefined));
    if (!token) throw new DropboxSignInError('token-failed');
    return token;
  } finally {
    channel.close();
  }
}

function waitForAnswer(
  channel: BroadcastChannel,
  state: string,
  signal: AbortSignal,
): Promise<CallbackResult> {
  return new Promise((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      channel.onmessage = null;
    };
    const onAbort = () => {
      finish();
      reject(new DropboxSignInError('cancelled'));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new DropboxSignInError('timeout'));
    }, SIGN_IN_TIMEOUT_MS);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);
    channel.onmessage = (event: MessageEvent<unknown>) => {
      // Another tab's sign-in, or a stale answer: not ours.
      if (!isCallbackResult(event.data) || event.data.state !== state) return;
      finish();
      resolve(event.data);
    };
  });
}
