import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@conclave/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../log/logger.js';
import { ManualClock } from './Clock.js';
import { type JobRecord, JobStore } from './JobStore.js';
import { HOUR_MS, RetentionSweeper } from './Retention.js';

const log = createLogger({ level: 'silent' });

function job(store: JobStore, clock: ManualClock, over: Partial<JobRecord> = {}): JobRecord {
  const now = clock.now();
  return {
    version: 1,
    id: store.newId(),
    meetingId: 'm',
    state: 'uploading',
    createdAt: now,
    endedAt: now,
    deadline: now + 24 * HOUR_MS,
    destination: { kind: 'webdav', url: 'https://dav.example/x', username: 'u', password: 'secret' },
    output: 'out.webm',
    attempts: 0,
    ...over,
  };
}

async function setup(retentionHours = 24) {
  const temp = tempDir('rec');
  onTestFinished(() => temp.remove());
  const dir = join(temp.path, 'data');
  const store = new JobStore(dir);
  await store.init();
  const clock = new ManualClock();
  const live = new Set<string>();
  const sweeper = new RetentionSweeper({
    store,
    clock,
    log,
    retentionMs: retentionHours * HOUR_MS,
    isLive: (id) => live.has(id),
  });
  return { dir, store, clock, sweeper, live };
}

describe('recording retention (P13)', () => {
  it('P13: creates the data directory and job files owner-only', async () => {
    const { dir, store, clock } = await setup();
    const j = job(store, clock);
    const jobDir = await store.create(j);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(jobDir).mode & 0o777).toBe(0o700);
    expect(statSync(store.recordPath(j.id)).mode & 0o777).toBe(0o600);
  });

  it('P13: deletes a recording and its job record (with credentials) once its deadline passed', async () => {
    const { dir, store, clock, sweeper } = await setup();
    const j = job(store, clock);
    const jobDir = await store.create(j);
    writeFileSync(join(jobDir, 'out.webm'), 'media');
    clock.advance(23 * HOUR_MS);
    expect(await sweeper.sweep()).toBe(0);
    expect(readdirSync(dir)).toHaveLength(2);
    clock.advance(HOUR_MS);
    expect(await sweeper.sweep()).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('P13: a lowered retention also shortens jobs already on disk; a raised one never extends them', async () => {
    const a = await setup(24);
    const j = job(a.store, a.clock);
    await a.store.create(j);
    const lower = new RetentionSweeper({
      store: a.store,
      clock: a.clock,
      log,
      retentionMs: 2 * HOUR_MS,
      isLive: () => false,
    });
    a.clock.advance(2 * HOUR_MS);
    expect(await lower.sweep()).toBe(1);

    const b = await setup(48);
    const k = job(b.store, b.clock);
    await b.store.create(k);
    b.clock.advance(24 * HOUR_MS);
    expect(await b.sweeper.sweep()).toBe(1);
  });

  it('P13: after a crash, a start-up sweep deletes interrupted recordings and stray files, keeps pending uploads', async () => {
    const { dir, store, clock, sweeper } = await setup();
    const interrupted = job(store, clock, { state: 'recording' });
    await store.create(interrupted);
    const pending = job(store, clock);
    await store.create(pending);
    writeFileSync(join(dir, 'stray.webm'), 'x');
    writeFileSync(join(dir, `${store.newId()}.json`), '{not json');
    expect(await sweeper.sweep()).toBe(3);
    expect(readdirSync(dir).sort()).toEqual([pending.id, `${pending.id}.json`].sort());
  });

  it('P13: keeps a live recording whose heartbeat keeps its deadline ahead', async () => {
    const { store, clock, sweeper, live } = await setup(1);
    const running = job(store, clock, { state: 'recording' });
    live.add(running.id);
    await store.create(running);
    clock.advance(HOUR_MS / 2);
    expect(await sweeper.sweep()).toBe(0);
  });

  it('P13: retention above 24 hours needs the explicit opt-in', () => {
    expect(() => parseConfig({ recording: { retentionHours: 48 } })).toThrow(/allowLongerRetention/);
    expect(
      parseConfig({ recording: { retentionHours: 48, allowLongerRetention: true } }).recording.retentionHours,
    ).toBe(48);
    expect(parseConfig({ recording: { retentionHours: 2 } }).recording.retentionHours).toBe(2);
    const defaults = parseConfig({}).recording;
    expect(defaults.retentionHours).toBe(24);
    expect(defaults.enabled).toBe(false);
    expect(defaults.local.dir).toBe('');
  });
});
