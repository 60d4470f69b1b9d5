import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type JobRecord, JobStore } from './JobStore.js';
import { HOUR_MS } from './Retention.js';

/*
 * `conclave recordings sweep` (issue 17, finding 11): the retention sweep without a running server,
 * so that a recording is deleted by its deadline even when the server crashed and stays down
 * (PRIVACY P13). Run as the operator's timer runs it: a process of its own, with the config file.
 */

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function conclave(args: string[]) {
  return spawnSync(process.execPath, ['--conditions=source', '--import', TSX, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TSX_DISABLE_CACHE: '1' },
    timeout: 60_000,
  });
}

function record(id: string, over: Partial<JobRecord>): JobRecord {
  const now = Date.now();
  return {
    version: 1,
    id,
    meetingId: 'meeting',
    state: 'uploading',
    createdAt: now - 30 * HOUR_MS,
    endedAt: now - 25 * HOUR_MS,
    deadline: now - HOUR_MS,
    destination: { kind: 'webdav', url: 'https://dav.example/x', username: 'u', password: 'SentinelSecret' },
    output: 'out.webm',
    attempts: 3,
    ...over,
  };
}

async function dataDirWithJobs() {
  const root = mkdtempSync(join(tmpdir(), 'conclave-sweep-'));
  dirs.push(root);
  const dataDir = join(root, 'data');
  const store = new JobStore(dataDir);
  await store.init();
  const expired = record(store.newId(), {});
  const fresh = record(store.newId(), { endedAt: Date.now(), deadline: Date.now() + 24 * HOUR_MS });
  // Interrupted by a crash, but its deadline has not passed: the server would delete it at start;
  // the command cannot tell it from a live one and leaves it to its deadline.
  const crashed = record(store.newId(), {
    state: 'recording',
    endedAt: Date.now() - HOUR_MS,
    deadline: Date.now() + 23 * HOUR_MS,
  });
  // Written with a longer retention than today's config allows: today's (2 h) applies.
  const older = record(store.newId(), {
    endedAt: Date.now() - 3 * HOUR_MS,
    deadline: Date.now() + 21 * HOUR_MS,
  });
  for (const job of [expired, fresh, crashed, older]) {
    const dir = await store.create(job);
    writeFileSync(join(dir, 'out.webm'), 'media');
  }
  mkdirSync(join(dataDir, 'orphan-media-without-record'));
  const config = join(root, 'conclave.json');
  writeFileSync(config, JSON.stringify({ recording: { dataDir, retentionHours: 2 } }));
  return { dataDir, config, expired, fresh, crashed, older };
}

describe('conclave recordings sweep', () => {
  it('P13: deletes recordings past their deadline (and orphans) with no server running, keeps the others', async () => {
    const t = await dataDirWithJobs();
    const run = conclave(['recordings', 'sweep', '--config', t.config]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/deleted 3 /);
    const left = readdirSync(t.dataDir).sort();
    expect(left).toEqual([t.crashed.id, `${t.crashed.id}.json`, t.fresh.id, `${t.fresh.id}.json`].sort());
    expect(`${run.stdout}${run.stderr}`).not.toContain('SentinelSecret');

    // Idempotent: a second run finds nothing more.
    const again = conclave(['recordings', 'sweep', '--config', t.config]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/deleted 0 /);
  });

  it('refuses to run without recording.dataDir, and does not create a missing data directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'conclave-sweep-'));
    dirs.push(root);
    const empty = join(root, 'empty.json');
    writeFileSync(empty, '{}');
    const none = conclave(['recordings', 'sweep', '--config', empty]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/recording\.dataDir/);

    const missing = join(root, 'missing.json');
    writeFileSync(missing, JSON.stringify({ recording: { dataDir: join(root, 'nowhere') } }));
    const run = conclave(['recordings', 'sweep', '--config', missing]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/deleted 0 /);
    expect(existsSync(join(root, 'nowhere'))).toBe(false);

    const unknown = conclave(['recordings', 'polish']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/recordings sweep/);
  });
});
