import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  base64url,
  challengeS256,
  isCallbackResult,
  parseCallback,
  randomVerifier,
  readAccessToken,
  tokenRequestBody,
} from './pkce.js';

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 Appendix B', async () => {
    expect(await challengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes 43-character verifiers from 32 random bytes, only unreserved characters, never the same', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const verifier = randomVerifier();
      expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
      seen.add(verifier);
      // The challenge is what a server computes from the verifier it later receives.
      expect(await challengeS256(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
    }
    expect(seen.size).toBe(200);
    const fixed = randomVerifier((b) => b.fill(0xff));
    expect(fixed).toBe(base64url(new Uint8Array(32).fill(0xff)));
    expect(fixed).toBe(Buffer.alloc(32, 0xff).toString('base64url'));
  });

  it('asks Dropbox for a code with S256 and an online (short-lived) token, keeping the base URL', () => {
    const url = new URL(
      authorizeUrl({
        authorizeUrl: 'http://127.0.0.1:9/oauth2/authorize?locale=en',
        appKey: 'app key&',
        redirectUri: 'https://meet.example.org/oauth/dropbox',
        challenge: 'abc',
        state: 'xyz',
      }),
    );
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:9/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      locale: 'en',
      client_id: 'app key&',
      response_type: 'code',
      code_challenge: 'abc',
      code_challenge_method: 'S256',
      token_access_type: 'online',
      redirect_uri: 'https://meet.example.org/oauth/dropbox',
      state: 'xyz',
    });
  });

  it('reads the callback: a code, a refusal, or nothing', () => {
    expect(parseCallback('?code=C0de&state=s1')).toEqual({ kind: 'code', code: 'C0de', state: 's1' });
    expect(parseCallback('?error=access_denied&error_description=x&state=s1')).toEqual({
      kind: 'error',
      error: 'access_denied',
      state: 's1',
    });
    expect(parseCallback('')).toBeUndefined();
    expect(parseCallback('?state=s1')).toBeUndefined();
  });

  it('accepts only well-formed answers from the channel', () => {
    expect(isCallbackResult({ kind: 'code', code: 'c', state: 's' })).toBe(true);
    expect(isCallbackResult({ kind: 'error', error: 'access_denied', state: 's' })).toBe(true);
    expect(isCallbackResult({ kind: 'code', code: '', state: 's' })).toBe(false);
    expect(isCallbackResult({ kind: 'code', code: 'c' })).toBe(false);
    expect(isCallbackResult({ kind: 'token', token: 't', state: 's' })).toBe(false);
    expect(isCallbackResult('code')).toBe(false);
    expect(isCallbackResult(null)).toBe(false);
  });

  it('sends code, verifier, app key and the same redirect URI to the token endpoint', () => {
    const body = tokenRequestBody({
      code: 'c',
      verifier: 'v',
      appKey: 'k',
      redirectUri: 'https://h/oauth/dropbox',
    });
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'authorization_code',
      code: 'c',
      code_verifier: 'v',
      client_id: 'k',
      redirect_uri: 'https://h/oauth/dropbox',
    });
  });

  it('takes the access token from the answer, and nothing else', () => {
    expect(readAccessToken({ access_token: 'sl.abc', token_type: 'bearer', expires_in: 14400 })).toBe(
      'sl.abc',
    );
    expect(readAccessToken({ access_token: '' })).toBeUndefined();
    expect(readAccessToken({ access_token: 42 })).toBeUndefined();
    expect(readAccessToken({ error: 'invalid_grant' })).toBeUndefined();
    expect(readAccessToken(undefined)).toBeUndefined();
  });
});
