import { spawn } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type TempDir, tempDir } from '../fs/tempDir.js';
import { listeningUrl, type TestConfig, testConfig, wsUrlOf } from './testConfig.js';
import { type Ui, webDirFor } from './webDir.js';

/*
 * The child-process front-end: the real server as its own process, started from source, in an
 * empty working directory and with its own TMPDIR, so that a test can see every file it wrote and
 * every line it printed — and kill it like a crash.
 */

const require = createRequire(import.meta.url);
const MAIN = join(dirname(require.resolve('@conclave/server/package.json')), 'src', 'main.ts');
// Resolved here, because the server runs in an empty working directory.
const TSX = pathToFileURL(require.resolve('tsx')).href;

export interface ServerProcess {
  url: string;
  wsUrl: string;
  pid: number;
  /** How the process ended (`SIGKILL` after `kill()`), null while it runs. */
  signalCode(): NodeJS.Signals | null;
  workDir: string;
  tempDir: string;
  /** Where the process serves metrics (when its config enables them), as it printed at start. */
  metricsUrl(): string;
  /** Everything the process printed on stdout and stderr so far. */
  output(): string;
  /** Every regular file under the working and temp directories. */
  files(): string[];
  /** SIGKILL, like a crash; resolves once the process is gone. Its directories stay until close(). */
  kill(): Promise<void>;
  /** kill(), then removes the directories the kit made for it. */
  close(): Promise<void>;
}

export interface SpawnOptions {
  /** Extra modules preloaded with `--import` (e.g. to point a cloud SDK at a loopback stand-in). */
  imports?: string[];
  /** The web client it serves (default: a stand-in page). */
  ui?: Ui;
  /** How long it may take to listen (default 30 s). */
  startTimeoutMs?: number;
}

export async function spawnServer(
  config: TestConfig = {},
  options: SpawnOptions = {},
): Promise<ServerProcess> {
  const dirs: TempDir[] = [tempDir('proc-cwd'), tempDir('proc-tmp'), tempDir('proc-etc')];
  const [work, temp, etc] = dirs as [TempDir, TempDir, TempDir];
  if (!config.web?.dir) dirs.push(webDirFor(options.ui ?? 'stand-in'));
  const configFile = join(etc.path, 'conclave.json');
  writeFileSync(configFile, JSON.stringify(testConfig(config, dirs[3]?.path ?? '')));
  let output = '';
  const child = spawn(
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
      cwd: work.path,
      // tsx would otherwise keep its compile cache in TMPDIR, which the tests inspect.
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TMPDIR: temp.path, TSX_DISABLE_CACHE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout.on('data', (d) => {
    output += String(d);
  });
  child.stderr.on('data', (d) => {
    output += String(d);
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const kill = async () => {
    if (!gone()) child.kill('SIGKILL');
    await exited;
  };
  const close = async () => {
    await kill();
    for (const dir of dirs) dir.remove();
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!listeningUrl(output)) {
    if (Date.now() > deadline || gone()) {
      await close();
      throw new Error(`server did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = listeningUrl(output) as string;
  const filesUnder = (dir: string) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((f) => join(dir, f))
      .filter((f) => statSync(f).isFile());
  return {
    url,
    wsUrl: wsUrlOf(url),
    pid: child.pid ?? -1,
    workDir: work.path,
    tempDir: temp.path,
    output: () => output,
    metricsUrl: () => /metrics on (http:\S+)/.exec(output)?.[1] ?? '',
    files: () => [...filesUnder(work.path), ...filesUnder(temp.path)],
    signalCode: () => child.signalCode,
    kill,
    close,
  };
}
