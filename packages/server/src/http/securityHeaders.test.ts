import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { securityHeaders } from './securityHeaders.js';

const directive = (headers: Record<string, string>, name: string) =>
  headers['Content-Security-Policy']?.split('; ').find((d) => d.startsWith(`${name} `));

describe('securityHeaders', () => {
  it('P14: by default no site may frame Conclave (CSP frame-ancestors none, X-Frame-Options DENY)', () => {
    const headers = securityHeaders();
    expect(directive(headers, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(headers['X-Frame-Options']).toBe('DENY');
    expect(securityHeaders({ frameAncestors: [] })).toEqual(headers);
  });

  it('listed origins, and only they, may frame it; X-Frame-Options, which cannot name them, is left out', () => {
    const headers = securityHeaders({
      frameAncestors: ['https://intranet.example.org', 'http://localhost:3000'],
    });
    expect(directive(headers, 'frame-ancestors')).toBe(
      'frame-ancestors https://intranet.example.org http://localhost:3000',
    );
    expect(headers['X-Frame-Options']).toBeUndefined();
    // Framing changes nothing else: scripts, connections and the referrer stay as private as before.
    const { 'X-Frame-Options': _, ...plain } = securityHeaders();
    for (const name of Object.keys(plain)) {
      if (name !== 'Content-Security-Policy') expect(headers[name], name).toBe(plain[name]);
    }
    expect(directive(headers, 'script-src')).toBe("script-src 'self'");
    expect(directive(headers, 'connect-src')).toBe("connect-src 'self'");
  });

  it('adds connect origins to connect-src only', () => {
    const headers = securityHeaders({ connectOrigins: ['https://api.dropboxapi.com'] });
    expect(directive(headers, 'connect-src')).toBe("connect-src 'self' https://api.dropboxapi.com");
    expect(directive(headers, 'default-src')).toBe("default-src 'self'");
  });
});

describe('web.frameAncestors', () => {
  const parse = (frameAncestors: unknown) => () => parseConfig({ web: { frameAncestors } });

  it('P14: is empty by default', () => {
    expect(parseConfig({}).web.frameAncestors).toEqual([]);
  });

  it('takes web origins: scheme, host, optional port', () => {
    const origins = ['https://intranet.example.org', 'http://127.0.0.1:3000', 'https://[::1]:8443'];
    expect(parseConfig({ web: { frameAncestors: origins } }).web.frameAncestors).toEqual(origins);
  });

  it.each([
    ['a path', 'https://example.org/page'],
    ['a trailing slash', 'https://example.org/'],
    ['a wildcard', 'https://*.example.org'],
    ['everyone', '*'],
    ['a CSP keyword', "'self'"],
    ['no scheme', 'example.org'],
    ['another scheme', 'ftp://example.org'],
    ['a data: source', 'data:'],
    ['upper case (browsers send origins lower-cased)', 'https://Example.org'],
    ['a query', 'https://example.org?x=1'],
    ['a space that would add a CSP source', 'https://example.org https://evil.example'],
    ['a semicolon that would add a CSP directive', "https://example.org; script-src 'unsafe-inline'"],
  ])('refuses %s', (_what, origin) => {
    expect(parse([origin])).toThrow(/frameAncestors/);
  });

  it('refuses the same origin twice, and more than 64', () => {
    expect(parse(['https://a.example', 'https://a.example'])).toThrow(/twice/);
    expect(parse(Array.from({ length: 65 }, (_, i) => `https://h${i}.example`))).toThrow(/frameAncestors/);
  });
});
