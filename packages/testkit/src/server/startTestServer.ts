import { Writable } from 'node:stream';
import { parseConfig, type RunningServer, type StartOptions, startServer } from '@conclave/server';
import { type TestConfig, testConfig, wsUrlOf } from './testConfig.js';
import { type Ui, webDirFor } from './webDir.js';

/*
 * The in-process front-end: a real server in the test's own process, its log lines captured in
 * memory. For tests that reach into the running server (its rooms, its media engine).
 */

export interface TestServer extends RunningServer {
  wsUrl: string;
  /** Every log line the server wrote (at trace level unless the test chose another). */
  logs: string[];
}

export interface TestServerOptions extends Omit<StartOptions, 'logDestination'> {
  /** The web client it serves (default: a stand-in page). */
  ui?: Ui;
}

export async function startTestServer(
  overrides: TestConfig = {},
  { ui = 'stand-in', ...start }: TestServerOptions = {},
): Promise<TestServer> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const web = overrides.web?.dir ? undefined : webDirFor(ui);
  let server: RunningServer;
  try {
    server = await startServer(parseConfig(testConfig(overrides, web?.path ?? '')), {
      ...start,
      logDestination: destination,
    });
  } catch (err) {
    web?.remove();
    throw err;
  }
  const close = server.close.bind(server);
  return Object.assign(server, {
    wsUrl: wsUrlOf(server.url),
    logs,
    close: async () => {
      await close();
      web?.remove();
    },
  });
}
