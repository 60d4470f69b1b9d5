import type { ConfigInput } from '@conclave/server';

/*
 * The one definition of "a Conclave server under test": 127.0.0.1, port 0 for HTTP and for media
 * (test files run in parallel and must never share a port), every log line at trace level, and a
 * stand-in page unless the test serves a real web client. Both front-ends — in this process
 * (startTestServer) and as a child process (spawnServer) — start from it.
 */

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** What a test may override; each section given is merged over the defaults above. */
export type TestConfig = DeepPartial<ConfigInput>;

export function testConfig(overrides: TestConfig, webDir: string): ConfigInput {
  return {
    ...overrides,
    server: { host: '127.0.0.1', port: 0, ...overrides.server },
    log: { level: 'trace', ...overrides.log },
    web: { dir: webDir, ...overrides.web },
    media: { port: 0, ...overrides.media },
  } as ConfigInput;
}

/** The line the server logs once it accepts connections, and the URL in it. */
export function listeningUrl(logs: string): string | undefined {
  return /listening on (http:\/\/[^\s"]+)/.exec(logs)?.[1];
}

export const wsUrlOf = (url: string): string => `${url.replace('http', 'ws')}/ws`;
