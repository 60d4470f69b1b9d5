/*
 * OAuth 2 authorization code flow with PKCE (RFC 7636), as Dropbox runs it for an app without a
 * secret. Pure helpers: building the authorize URL, reading the callback, the token request and
 * its answer. The browser parts (popup, channel, fetch) live in meeting/recordingDropbox.ts.
 */

/** The callback page hands the code to the meeting page over this same-origin channel. */
export const DROPBOX_CHANNEL = 'conclave-dropbox-oauth';

/** Where Dropbox sends the popup back; the operator registers `<origin>/oauth/dropbox` in the app. */
export const DROPBOX_CALLBACK_PATH = '/oauth/dropbox';

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * A code verifier: 32 random bytes as base64url, 43 characters from the unreserved set (RFC 7636
 * §4.1 asks for 43 to 128 characters with 256 bits of entropy recommended).
 */
export function randomVerifier(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  return base64url(random(new Uint8Array(32)));
}

/** `code_challenge` for `code_challenge_method=S256`: base64url(SHA-256(ASCII(verifier))). */
export async function challengeS256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export interface AuthorizeRequest {
  authorizeUrl: string;
  appKey: string;
  redirectUri: string;
  challenge: string;
  /** Ties the answer to this attempt: an answer with another state is ignored. */
  state: string;
}

/**
 * The authorize page's URL. `token_access_type=online` asks for a short-lived access token only:
 * no refresh token exists that could outlive the upload.
 */
export function authorizeUrl(request: AuthorizeRequest): string {
  const url = new URL(request.authorizeUrl);
  url.searchParams.set('client_id', request.appKey);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('code_challenge', request.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('token_access_type', 'online');
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('state', request.state);
  return url.toString();
}

export type CallbackResult =
  | { kind: 'code'; code: string; state: string }
  | { kind: 'error'; error: string; state: string };

/** What the authorization server put in the callback's query (`?code=…&state=…` or `?error=…`). */
export function parseCallback(search: string): CallbackResult | undefined {
  const params = new URLSearchParams(search);
  const state = params.get('state') ?? '';
  const code = params.get('code');
  if (code) return { kind: 'code', code, state };
  const error = params.get('error');
  if (error) return { kind: 'error', error, state };
  return undefined;
}

/** Checks a message received on the channel: only these two shapes are ever acted on. */
export function isCallbackResult(value: unknown): value is CallbackResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.state !== 'string') return false;
  if (v.kind === 'code') return typeof v.code === 'string' && v.code !== '';
  return v.kind === 'error' && typeof v.error === 'string';
}

/** The token request's form body (RFC 6749 §4.1.3 plus the verifier, RFC 7636 §4.5). */
export function tokenRequestBody(options: {
  code: string;
  verifier: string;
  appKey: string;
  redirectUri: string;
}): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    code: options.code,
    code_verifier: options.verifier,
    client_id: options.appKey,
    redirect_uri: options.redirectUri,
  });
}

/** The access token from the token endpoint's JSON answer, or undefined if it has none. */
export function readAccessToken(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null || !('access_token' in answer)) return undefined;
  const token = answer.access_token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}
