import { describe, expect, it } from 'vitest';
import { frameUrl, isLoopback, serverOrigin } from './frameUrl.js';

describe('serverOrigin', () => {
  it.each([
    ['meet.example.org', 'https://meet.example.org'],
    ['meet.example.org:8443', 'https://meet.example.org:8443'],
    ['localhost:8080', 'http://localhost:8080'],
    ['conclave.localhost', 'http://conclave.localhost'],
    ['127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['127.0.0.2', 'http://127.0.0.2'],
    ['[::1]:8080', 'http://[::1]:8080'],
    ['https://localhost:8443', 'https://localhost:8443'],
    ['http://meet.example.org', 'http://meet.example.org'],
    ['  Meet.Example.org  ', 'https://meet.example.org'],
  ])('%s → %s', (domain, origin) => {
    expect(serverOrigin(domain)).toBe(origin);
  });

  it.each([
    '',
    'meet.example.org/path',
    'user:pw@meet.example.org',
    'meet.example.org?x=1',
    'meet.example.org#x',
    'ftp://meet.example.org',
    'exa mple.org',
  ])('refuses %j', (domain) => {
    expect(() => serverOrigin(domain)).toThrow(TypeError);
  });

  it('treats only loopback names as loopback', () => {
    expect(isLoopback('127.255.0.1')).toBe(true);
    for (const host of ['localhost.example.org', '128.0.0.1', '10.0.0.1', '127.0.0.1.example.org']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });
});

describe('frameUrl', () => {
  const origin = 'https://meet.example.org';

  it('puts the room in the path and the choices in the fragment, which is never sent to a server', () => {
    expect(frameUrl(origin, { roomName: 'BrightOtter' })).toBe('https://meet.example.org/BrightOtter');
    const url = new URL(
      frameUrl(origin, {
        roomName: 'Team.Sync',
        displayName: 'Ada & Bob',
        lang: 'de-CH',
        startWithAudioMuted: true,
        startWithVideoMuted: true,
      }),
    );
    expect(url.pathname).toBe('/Team.Sync');
    expect(url.search).toBe('');
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect(Object.fromEntries(fragment)).toEqual({
      name: 'Ada & Bob',
      prejoin: '0',
      audio: '0',
      video: '0',
      lang: 'de-CH',
    });
  });

  it('skips the pre-join page only when a display name is given', () => {
    expect(frameUrl(origin, { roomName: 'R', startWithAudioMuted: true })).toBe(`${origin}/R#audio=0`);
  });

  it('escapes the room name into one path segment', () => {
    expect(frameUrl(origin, { roomName: 'a/b?c#d' })).toBe(`${origin}/a%2Fb%3Fc%23d`);
  });

  it('refuses a missing room name and a lang that is no language tag', () => {
    expect(() => frameUrl(origin, { roomName: '' })).toThrow(TypeError);
    expect(() => frameUrl(origin, { roomName: 'R', lang: 'de&name=Eve' })).toThrow(TypeError);
  });
});
