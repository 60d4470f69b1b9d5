import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ServerProcess, spawnServer, tempDir } from '@conclave/testkit';
import { startDropboxStandIn } from '@conclave/testkit/standins';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type JobRecord, JobStore } from './JobStore.js';
import { HOUR_MS } from './Retention.js';

/*
 * `kill -9` during an upload, then a restart on the same data directory (issue 6, PRIVACY P13).
 * The real server runs as a child process from source; its upload goes to a stand-in for Dropbox's
 * upload-session endpoints on 127.0.0.1 that takes the first chunk and then hangs. The child's
 * `fetch` is pointed at it by a preload module written here (no test hook in the product).
 *
 *  1. The destination comes back: the restarted server resumes the same session at the saved
 *     offset (no new `start`, no chunk sent twice), finishes, and deletes file and job record.
 *  2. The destination stays down (hangs): the restarted server deletes file and job record at the
 *     deadline — lowered at restart through `retentionHours`, which also shortens jobs on disk.
 *
 * The job is put in the data directory as the recorder leaves it after processing (state
 * `uploading`, output file present): recording itself is covered by recording.integration.test.ts.
 * Run: unshare -n bash -c 'ip link set lo up && npx vitest run packages/server/src/recording/upload.restart.integration.test.ts'
 */

/** The server's Dropbox chunk (8 MiB): the file is two chunks and a bit. */
const CHUNK = 8 * 1024 * 1024;

/** A directory for this test attempt, removed when it ends. */
function testDir(): string {
  const dir = tempDir('restart');
  onTestFinished(() => dir.remove());
  return dir.path;
}

async function startServer(dir: string, dataDir: string, dropboxBase: string, retentionHours: number) {
  const preload = join(dir, 'dropbox-to-loopback.mjs');
  writeFileSync(
    preload,
    `const base = ${JSON.stringify(dropboxBase)};
const real = globalThis.fetch;
globalThis.fetch = (input, init) =>
  real(String(input).replace(/^https:\\/\\/[a-z.-]*dropboxapi\\.com/, base), init);
`,
  );
  const server = await spawnServer(
    {
      log: { level: 'info' },
      recording: { enabled: true, dataDir, retentionHours, dropbox: { appKey: 'test-app-key' } },
    },
    { imports: [pathToFileURL(preload).href] },
  );
  onTestFinished(() => server.close());
  return server;
}

/**
 * The Dropbox stand-in, hanging from the start: the first append is received but never answered
 * and never stored, as when the network or the server freezes mid-chunk.
 */
async function fakeDropbox() {
  const box = await startDropboxStandIn({ token: 'good-token' });
  box.hang = true;
  onTestFinished(() => box.close());
  return box;
}

/** A finished recording waiting for its upload, as the recorder leaves it. */
async function seedJob(dataDir: string, retentionHours: number) {
  const store = new JobStore(dataDir);
  await store.init();
  const now = Date.now();
  const job: JobRecord = {
    version: 1,
    id: store.newId(),
    meetingId: 'meeting',
    state: 'uploading',
    createdAt: now,
    endedAt: now,
    deadline: now + retentionHours * HOUR_MS,
    destination: { kind: 'dropbox', accessToken: 'good-token' },
    output: 'conclave-recording.webm',
    attempts: 0,
  };
  const content = randomBytes(2 * CHUNK + 100_000);
  writeFileSync(join(await store.create(job), job.output as string), content);
  return { store, job, content };
}

async function until(
  what: string,
  check: () => boolean,
  timeoutMs: number,
  child?: ServerProcess,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${child?.output() ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Kills the first server while it waits for the answer to its second chunk. */
async function killMidUpload(dir: string, dataDir: string, box: Awaited<ReturnType<typeof fakeDropbox>>) {
  const first = await startServer(dir, dataDir, box.base, 1);
  await until('the hanging append', () => box.calls.some((c) => c.call === 'append_v2'), 60_000, first);
  await first.kill();
  expect(first.signalCode()).toBe('SIGKILL');
}

describe('kill -9 during an upload, then restart (P13)', () => {
  it('P13: the restarted server resumes the Dropbox session at the saved offset, then deletes the file', async () => {
    const dir = testDir();
    const dataDir = join(dir, 'data');
    const box = await fakeDropbox();
    const { store, job, content } = await seedJob(dataDir, 1);

    await killMidUpload(dir, dataDir, box);
    expect(box.calls).toEqual([
      { call: 'start', offset: undefined },
      { call: 'append_v2', offset: CHUNK },
    ]);
    // The killed process left its progress: Dropbox's session and the confirmed offset.
    const saved = await store.load(job.id);
    expect(saved?.progress).toMatchObject({ offset: CHUNK });
    expect(typeof saved?.progress?.sessionId).toBe('string');
    expect(existsSync(join(store.dirOf(job.id), 'conclave-recording.webm'))).toBe(true);

    box.hang = false;
    box.calls.length = 0;
    const second = await startServer(dir, dataDir, box.base, 1);
    // The server logs the outcome after it deleted the job; the line reaches this process a moment
    // later through the pipe, so wait for the line (not for the empty directory, which comes first).
    await until(
      'the upload to be reported done',
      () => second.output().includes('recording.upload_done'),
      60_000,
      second,
    );
    expect(readdirSync(dataDir)).toEqual([]);
    // Resumed, not restarted: no new session, the second chunk again at the saved offset, then the rest.
    expect(box.calls).toEqual([
      { call: 'append_v2', offset: CHUNK },
      { call: 'finish', offset: 2 * CHUNK },
    ]);
    expect(box.files.get('/conclave-recording.webm')?.equals(content)).toBe(true);
    expect(second.output()).toMatch(/"uploaded":true/);
  });

  it('P13: with the destination still down, the restarted server deletes file and job at the deadline', async () => {
    const dir = testDir();
    const dataDir = join(dir, 'data');
    const box = await fakeDropbox();
    const { store, job } = await seedJob(dataDir, 1);

    await killMidUpload(dir, dataDir, box);
    expect(existsSync(store.recordPath(job.id))).toBe(true);

    // The operator lowers retention at restart: the deadline becomes 6 s from now (effective
    // deadline = min(written deadline, end + today's retention)). The destination keeps hanging.
    const deadline = Date.now() + 6000;
    const retentionHours = (deadline - job.endedAt) / HOUR_MS;
    box.calls.length = 0;
    const second = await startServer(dir, dataDir, box.base, retentionHours);
    await until('the deadline to delete the job', () => readdirSync(dataDir).length === 0, 60_000, second);
    const deletedAt = Date.now();
    // Kept until the deadline (the upload went on trying), deleted at it, not a sweep interval later.
    expect(deletedAt).toBeGreaterThanOrEqual(deadline);
    expect(deletedAt - deadline).toBeLessThan(5000);
    // Either the resumed upload hit the deadline, or (a slow start) the start-up sweep found it past.
    // Logged after the deletion, so it may reach this process a moment after the directory empties.
    const expired = /"reason":"expired"|"expired":true/;
    await until('the expiry to be logged', () => expired.test(second.output()), 60_000, second);
    expect(second.output()).not.toMatch(/"uploaded":true/);
    expect(box.files.size).toBe(0);
  });
});
