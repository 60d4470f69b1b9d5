import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accepts, freeTcpPort } from '../net/ports.js';

/*
 * A real coturn (Debian package `coturn`, binary `turnserver`) for the tests: on 127.0.0.1 with a
 * random port, TURN REST API authentication with a random shared secret, relaying to loopback
 * peers (the only ones inside the tests' namespace). With `tls`, a self-signed certificate from
 * openssl adds a TLS listener. Stopped by `close()`.
 */

export const TURNSERVER = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';

export interface TurnServer {
  readonly port: number;
  /** The TLS listener's port, when started with `tls`. */
  readonly tlsPort: number | undefined;
  readonly secret: string;
  /** What coturn printed (it logs usernames, which carry no names: see ice/turn.ts). */
  readonly logs: string[];
  close(): Promise<void>;
}

export async function startTurnServer(options: { tls?: boolean } = {}): Promise<TurnServer> {
  if (!existsSync(TURNSERVER)) {
    throw new Error(
      `coturn not found at ${TURNSERVER}. Install it with "apt-get update && apt-get install -y coturn" (or set TURNSERVER_PATH).`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'conclave-turn-'));
  const secret = randomBytes(24).toString('hex');
  const port = await freeTcpPort();
  const tlsPort = options.tls ? await freeTcpPort() : undefined;
  // Relay ports below Linux's ephemeral range, in a random window so parallel test files rarely meet.
  const minPort = 20_000 + Math.floor(Math.random() * 90) * 100;
  const args = [
    '-n',
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + 99}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=conclave.test',
    '--allow-loopback-peers',
    '--no-cli',
    '--no-dtls',
    '--fingerprint',
    `--userdb=${join(dir, 'turndb')}`,
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    '--log-file=stdout',
    '--simple-log',
    '--no-software-attribute',
  ];
  if (tlsPort !== undefined) {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'].concat([
        '-keyout',
        key,
        '-out',
        cert,
      ]),
      { stdio: 'ignore' },
    );
    args.push(`--tls-listening-port=${tlsPort}`, `--cert=${cert}`, `--pkey=${key}`);
  } else {
    args.push('--no-tls');
  }
  const child = spawn(TURNSERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  child.stdout?.on('data', (d) => logs.push(String(d)));
  child.stderr?.on('data', (d) => logs.push(String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForListener(child, port, tlsPort);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${logs.join('').slice(-2000)}`);
  }
  return {
    port,
    tlsPort,
    secret,
    logs,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForListener(child: ChildProcess, ...ports: (number | undefined)[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (const port of ports) {
    if (port === undefined) continue;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`turnserver exited with code ${child.exitCode}`);
      if (await accepts(port)) break;
      if (Date.now() > deadline) throw new Error(`turnserver did not listen on ${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
