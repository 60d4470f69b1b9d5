/*
 * Every response carries headers that keep the page private: a CSP that only allows this origin
 * (PRIVACY P8, enforced by the browser as well as by our build; the one addition is Dropbox's token
 * endpoint for `fetch`, when the operator offers Dropbox recordings), and no referrer, because the room
 * name is in the URL and must not leak to any other site.
 *
 * Framing (docs/embedding.md): refused everywhere unless the operator lists origins in
 * `web.frameAncestors`. Then CSP `frame-ancestors` names exactly those origins and
 * X-Frame-Options is left out, because it cannot name a list (ALLOW-FROM is obsolete) and browsers
 * that know frame-ancestors ignore it anyway; without a list both say no (`'none'`, `DENY`).
 */

export interface SecurityHeaderOptions {
  /** Origins besides this one the page may fetch from (Dropbox's token endpoint, cluster nodes). */
  connectOrigins?: readonly string[];
  /** Origins whose pages may show Conclave in a frame; empty: none. */
  frameAncestors?: readonly string[];
}

export function securityHeaders(options: SecurityHeaderOptions = {}): Record<string, string> {
  const connect = ["'self'", ...(options.connectOrigins ?? [])].join(' ');
  const ancestors = options.frameAncestors?.length ? options.frameAncestors.join(' ') : "'none'";
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "media-src 'self' blob: mediastream:",
      `connect-src ${connect}`,
      "worker-src 'self' blob:",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      `frame-ancestors ${ancestors}`,
      "form-action 'self'",
    ].join('; '),
    ...(options.frameAncestors?.length ? {} : { 'X-Frame-Options': 'DENY' }),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(self), microphone=(self), display-capture=(self)',
  };
}
