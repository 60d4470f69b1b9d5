import { Writable } from 'node:stream';
import { type ConfigInput, parseConfig, type RunningServer, startServer } from '@conclave/server';

/** The real server with the real built web client, on 127.0.0.1 port 0, logs captured at trace level. */
export async function startE2EServer(): Promise<RunningServer & { logs: string[] }> {
  return startE2EServerWith({});
}

/**
 * Like startE2EServer, with extra configuration sections (e.g. limits, media) on top of the same
 * host, port and log level. The sections given replace the defaults section by section.
 */
export async function startE2EServerWith(
  overrides: Omit<ConfigInput, 'server' | 'log'>,
): Promise<RunningServer & { logs: string[] }> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = parseConfig({
    ...overrides,
    server: { host: '127.0.0.1', port: 0 },
    log: { level: 'trace' },
  });
  const server = await startServer(config, { logDestination: destination });
  return Object.assign(server, { logs });
}
