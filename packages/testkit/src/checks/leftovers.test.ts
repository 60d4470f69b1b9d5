import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { alive, descendants } from '../process/processTree.js';
import { leftoversSince, settledSnapshot, snapshot } from './leftovers.js';

/* The teardown check itself: each kind of leftover is found, and nothing is found when all is closed. */

const GRACE = { graceMs: 300 };

describe('leftovers', () => {
  it('finds a child process left running, names it and kills it', async () => {
    const before = snapshot();
    const child = spawn('sleep', ['417'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => child.once('spawn', resolve));
    const key = descendants().find((p) => p.pid === child.pid)?.key ?? '';
    expect(alive(key)).toBe(true);

    const left = await leftoversSince(before, GRACE);
    expect(left).toContainEqual(
      expect.stringMatching(new RegExp(`^process ${child.pid} .*killed.*sleep 417`)),
    );
    await exited;
    expect(alive(key)).toBe(false);
  });

  it('finds the processes a leftover process started, and kills them too', async () => {
    const before = snapshot();
    // A shell that starts a sleep and waits: both are the test's leftovers.
    const child = spawn('sh', ['-c', 'sleep 418 & wait'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for (let i = 0; i < 100 && !descendants().some((p) => p.command === 'sleep 418'); i++)
      await new Promise((r) => setTimeout(r, 20));
    const left = await leftoversSince(before, GRACE);
    expect(left.some((l) => l.includes('sleep 418'))).toBe(true);
    await exited;
    expect(descendants().some((p) => p.command === 'sleep 418')).toBe(false);
  });

  it('leaves alone what an older process starts on its own (it belongs to whoever started that one)', async () => {
    const older = spawn('sh', ['-c', 'sleep 0.2; sleep 424 & wait'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => older.once('exit', resolve));
    await new Promise((resolve) => older.once('spawn', resolve));
    const before = snapshot();
    for (let i = 0; i < 100 && !descendants().some((p) => p.command === 'sleep 424'); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(descendants().some((p) => p.command === 'sleep 424')).toBe(true);
    expect(await leftoversSince(before, GRACE)).toEqual([]);
    // The sleep first: once its shell is gone it would be an orphan, no longer our descendant.
    for (const p of descendants().filter((d) => d.command === 'sleep 424')) process.kill(p.pid);
    await exited;
  });

  it('finds a timer left running', async () => {
    const before = await settledSnapshot();
    const timer = setInterval(() => {}, 1000);
    try {
      expect(await leftoversSince(before, GRACE)).toEqual([
        expect.stringMatching(/^1 × Timeout still active/),
      ]);
    } finally {
      clearInterval(timer);
    }
  });

  it('finds a listening socket left open', async () => {
    const before = snapshot();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect(await leftoversSince(before, GRACE)).toEqual([
        expect.stringMatching(/^1 × TCPServerWrap still active/),
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('finds nothing once everything was closed, and waits for what is closing', async () => {
    const before = snapshot();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const child = spawn('sleep', ['0.2'], { stdio: 'ignore' });
    const timer = setTimeout(() => {}, 100);
    server.close();
    expect(await leftoversSince(before, { graceMs: 5000 })).toEqual([]);
    expect(child.exitCode).toBe(0);
    clearTimeout(timer);
  });
});
