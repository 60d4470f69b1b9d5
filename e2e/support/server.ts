import { Writable } from 'node:stream';
import { parseConfig, type RunningServer, startServer } from '@conclave/server';

/** The real server with the real built web client, on 127.0.0.1 port 0, logs captured at trace level. */
export async function startE2EServer(): Promise<RunningServer & { logs: string[] }> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = parseConfig({ server: { host: '127.0.0.1', port: 0 }, log: { level: 'trace' } });
  const server = await startServer(config, { logDestination: destination });
  return Object.assign(server, { logs });
}
