import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/*
 * The real server as its own process, started from source, in an empty working directory and with
 * its own TMPDIR, so that a test can see every file it wrote and every line it printed.
 */

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
// Resolved here, because the server runs in an empty working directory.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface ServerProcess {
  url: string;
  wsUrl: string;
  pid: number;
  /** How the process ended (`SIGKILL` after `kill()`), null while it runs. */
  signalCode(): NodeJS.Signals | null;
  workDir: string;
  tempDir: string;
  /** Where the process serves metrics (when its config enables them): read from what it printed. */
  metricsUrl(): string;
  /** Everything the process printed on stdout and stderr so far. */
  output(): string;
  /** Every regular file under the working and temp directories. */
  files(): string[];
  /** SIGKILL, like a crash; resolves once the process is gone. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  /** Extra modules preloaded with `--import` (e.g. to point a cloud SDK at a loopback stand-in). */
  imports?: string[];
}

export async function spawnServer(
  config: Record<string, unknown> = {},
  options: SpawnOptions = {},
): Promise<ServerProcess> {
  const workDir = mkdtempSync(join(tmpdir(), 'conclave-proc-cwd-'));
  const tempDir = mkdtempSync(join(tmpdir(), 'conclave-proc-tmp-'));
  const webDir = mkdtempSync(join(tmpdir(), 'conclave-proc-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Conclave</title>');
  const configFile = join(webDir, 'conclave.json');
  writeFileSync(
    configFile,
    JSON.stringify({ web: { dir: webDir }, log: { level: 'trace' }, media: { port: 0 }, ...config }),
  );
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      TSX,
      ...(options.imports ?? []).flatMap((m) => ['--import', m]),
      MAIN,
      '--config',
      configFile,
    ],
    {
      cwd: workDir,
      // tsx would otherwise keep its compile cache in TMPDIR, which the tests inspect.
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TMPDIR: tempDir, TSX_DISABLE_CACHE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const deadline = Date.now() + 30_000;
  while (!/listening on (http:\S+)/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const url = /listening on (http:\S+)/.exec(output)?.[1] ?? '';
  const filesUnder = (dir: string) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((f) => join(dir, f))
      .filter((f) => statSync(f).isFile());
  return {
    url,
    wsUrl: `${url.replace('http', 'ws')}/ws`,
    pid: child.pid ?? -1,
    workDir,
    tempDir,
    output: () => output,
    metricsUrl: () => /metrics on (http:\S+)/.exec(output)?.[1] ?? '',
    files: () => [...filesUnder(workDir), ...filesUnder(tempDir)],
    signalCode: () => child.signalCode,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
