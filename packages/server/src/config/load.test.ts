import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@conclave/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, loadConfig } from './load.js';

function file(content: string): string {
  const dir = tempDir('config');
  onTestFinished(() => dir.remove());
  const path = join(dir.path, 'conclave.json');
  writeFileSync(path, content);
  return path;
}

describe('loadConfig', () => {
  it('P14: defaults are private — loopback only, no third-party STUN, no proxy trust, no metrics, own origin only', () => {
    const config = loadConfig({ argv: [], env: {} });
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 8080,
      trustProxy: false,
      proxyHops: 1,
      behindTlsProxy: false,
    });
    expect(config.ice.stunServers).toEqual([]);
    expect(config.p2p.enabled).toBe(true);
    expect(config.metrics).toEqual({ enabled: false, host: '127.0.0.1', port: 9464 });
    expect(config.signaling.allowedOrigins).toEqual([]);
  });

  it('reads the file from CONCLAVE_CONFIG, then lets env and flags override it', () => {
    const path = file(JSON.stringify({ server: { port: 9000, host: '127.0.0.2' }, log: { level: 'debug' } }));
    expect(loadConfig({ argv: [], env: { CONCLAVE_CONFIG: path } }).server.port).toBe(9000);
    const env = loadConfig({ argv: [], env: { CONCLAVE_CONFIG: path, PORT: '0', HOST: '::1' } });
    expect(env.server).toMatchObject({ port: 0, host: '::1' });
    expect(env.log.level).toBe('debug');
    const flags = loadConfig({ argv: ['--config', path, '--port', '1234'], env: { PORT: '0' } });
    expect(flags.server.port).toBe(1234);
  });

  it.each([
    [{ server: { prot: 1 } }, /unknown key "server\.prot"/],
    [{ sever: {} }, /unknown key "sever"/],
    [{ server: { port: 70000 } }, /server\.port: .*65535/],
    [{ log: { level: 'loud' } }, /log\.level: .*"info"/],
    [{ ice: { stunServers: ['http://x'] } }, /ice\.stunServers\.0: must be a stun: or stuns: URL/],
    [
      { signaling: { allowedOrigins: ['https://x.example/path'] } },
      /signaling\.allowedOrigins\.0: must be an origin/,
    ],
  ])('rejects %j naming the key and what is allowed', (content, message) => {
    const path = file(JSON.stringify(content));
    expect(() => loadConfig({ argv: ['--config', path], env: {} })).toThrow(message);
  });

  it('rejects a bad PORT, an unknown flag, a missing file and invalid JSON with a ConfigError', () => {
    expect(() => loadConfig({ argv: [], env: { PORT: 'eighty' } })).toThrow(/PORT: must be an integer/);
    expect(() => loadConfig({ argv: ['--prot', '1'], env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ argv: ['--config', '/nonexistent/conclave.json'], env: {} })).toThrow(/ENOENT/);
    expect(() => loadConfig({ argv: ['--config', file('{nope')], env: {} })).toThrow(/not valid JSON/);
  });
});
