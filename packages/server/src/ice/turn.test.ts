import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, TestClient, tempDir } from '@conclave/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, loadConfig } from '../config/load.js';
import { iceServersFactory, turnCredentials } from './turn.js';

const SECRET = 'north-wind-shared-secret';

function configFile(turn: object): string {
  const dir = tempDir('turn');
  onTestFinished(() => dir.remove());
  const path = join(dir.path, 'conclave.json');
  writeFileSync(path, JSON.stringify({ turn }));
  return path;
}

describe('TURN REST API credentials', () => {
  it('username is <expiry>:<id> and credential base64(HMAC-SHA1(secret, username)), as coturn checks', () => {
    // Reference value from `printf '1700086400:participant' | openssl dgst -sha1 -hmac <secret> -binary | base64`.
    const c = turnCredentials(SECRET, 86_400, 1_700_000_000_000, 'participant');
    expect(c).toEqual({ username: '1700086400:participant', credential: 'l8c+mTCZazP7Objo5jAdw9KwUVs=' });
  });

  it('gives every participant fresh credentials with a random id that names nobody', () => {
    const servers = iceServersFactory({
      stunServers: ['stun:stun.example.org'],
      turn: { urls: ['turn:turn.example.org:3478?transport=udp'], secret: SECRET, ttlSeconds: 600 },
    });
    const [first, second] = [servers(), servers()];
    expect(first[0]).toEqual({ urls: ['stun:stun.example.org'] });
    const a = first[1];
    const b = second[1];
    expect(a?.urls).toEqual(['turn:turn.example.org:3478?transport=udp']);
    expect(a?.username).not.toBe(b?.username);
    const [expiry, id] = (a?.username ?? '').split(':');
    const now = Date.now() / 1000;
    expect(Number(expiry)).toBeGreaterThan(now + 590);
    expect(Number(expiry)).toBeLessThan(now + 610);
    expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(a?.credential).toBe(
      createHmac('sha1', SECRET)
        .update(a?.username ?? '')
        .digest('base64'),
    );
  });

  it('hands out nothing when TURN is not configured (P14)', () => {
    const servers = iceServersFactory({ stunServers: [], turn: { urls: [], secret: '', ttlSeconds: 60 } });
    expect(servers()).toEqual([]);
  });
});

describe('turn configuration', () => {
  it('is off by default', () => {
    expect(loadConfig({ argv: [], env: {} }).turn).toEqual({ urls: [], secret: '', ttlSeconds: 86_400 });
  });

  it('takes the secret from CONCLAVE_TURN_SECRET and requires one with urls', () => {
    const path = configFile({ urls: ['turns:turn.example.org:5349?transport=tcp'] });
    expect(() => loadConfig({ argv: ['--config', path], env: {} })).toThrow(/turn\.secret/);
    const config = loadConfig({ argv: ['--config', path], env: { CONCLAVE_TURN_SECRET: SECRET } });
    expect(config.turn.secret).toBe(SECRET);
    const bad = configFile({ urls: ['http://turn.example.org'], secret: SECRET });
    expect(() => loadConfig({ argv: ['--config', bad], env: {} })).toThrow(ConfigError);
    // A rejected secret is named by its key, never by its value.
    const short = configFile({ urls: ['turn:turn.example.org'], secret: 'hunter2' });
    const error = (() => {
      try {
        loadConfig({ argv: ['--config', short], env: {} });
      } catch (err) {
        return String(err);
      }
    })();
    expect(error).toMatch(/turn\.secret/);
    expect(error).not.toContain('hunter2');
  });

  it('the joined answer carries per-participant credentials; the logs never contain the secret (P7)', async () => {
    const server = await startTestServer({
      turn: {
        urls: ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp'],
        secret: SECRET,
      },
    });
    try {
      const { client: c1, joined: j1 } = await TestClient.join(server, 'AmberFoxesCrossRivers');
      const { client: c2, joined: j2 } = await TestClient.join(server, 'AmberFoxesCrossRivers');
      for (const joined of [j1, j2]) {
        expect(joined.iceServers).toHaveLength(1);
        expect(joined.iceServers[0]?.urls).toHaveLength(2);
        expect(joined.iceServers[0]?.username).toMatch(/^\d{10}:/);
      }
      expect(j1.iceServers[0]?.username).not.toBe(j2.iceServers[0]?.username);
      c1.close();
      c2.close();
    } finally {
      await server.close();
    }
    expect(server.logs.join('')).not.toContain(SECRET);
  });
});
