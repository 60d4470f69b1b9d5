import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerMessageOf } from '@conclave/protocol';
import { tempDir } from '@conclave/testkit';
import { fillerVp8, SyntheticPublisher } from '@conclave/testkit/rtp';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../log/logger.js';
import type { MediaTap } from '../sfu/MediaEngine.js';
import { ManualClock } from './Clock.js';
import { CompositionQueue, CompositionQueueClosed } from './CompositionQueue.js';
import type { Composer, Composition } from './compose.js';
import { RecordingService } from './RecordingService.js';
import { HOUR_MS } from './Retention.js';

/*
 * The composition queue: on its own, and inside the recording service with a fake composer in
 * place of ffmpeg (the real composition has its own integration test). Recordings are fed
 * synthetic audio RTP through the engine tap, as in recorder.test.ts.
 */

const log = createLogger({ level: 'silent' });

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick();
  }
}

describe('CompositionQueue', () => {
  it('runs at most `limit` tasks at once, in the order they came', async () => {
    const queue = new CompositionQueue(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const never = new AbortController().signal;
    const all = gates.map((gate, i) =>
      queue.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await gate.promise;
        running--;
        return i;
      }, never),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(queue.waiting).toBe(3);
    // Finishing the second frees one place: the next in line gets it, not a later one.
    gates[1]?.resolve();
    await until(() => started.length === 3, 'the third task');
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.resolve();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(queue.running).toBe(0);
  });

  it('lets waiters with an earlier order (deadline) go first; equal orders keep their arrival', async () => {
    const queue = new CompositionQueue(1);
    const gate = deferred();
    const started: string[] = [];
    const never = new AbortController().signal;
    const job = (name: string, order: number, wait?: Promise<void>) =>
      queue.run(
        async () => {
          started.push(name);
          await wait;
        },
        never,
        order,
      );
    const all = [job('running', 5, gate.promise), job('late-1', 30), job('late-2', 30), job('early', 10)];
    await tick();
    gate.resolve();
    await Promise.all(all);
    expect(started).toEqual(['running', 'early', 'late-1', 'late-2']);
  });

  it('drops a waiter whose signal aborts (it never runs), and frees no place it never had', async () => {
    const queue = new CompositionQueue(1);
    const gate = deferred();
    const ran: string[] = [];
    const never = new AbortController().signal;
    const first = queue.run(async () => {
      ran.push('first');
      await gate.promise;
    }, never);
    const cancel = new AbortController();
    const second = queue.run(async () => {
      ran.push('second');
    }, cancel.signal);
    const third = queue.run(async () => {
      ran.push('third');
    }, never);
    cancel.abort(new Error('deadline'));
    await expect(second).rejects.toThrow('deadline');
    expect(queue.waiting).toBe(1);
    expect(queue.running).toBe(1);
    gate.resolve();
    await Promise.all([first, third]);
    expect(ran).toEqual(['first', 'third']);
  });

  it('close() sends every waiter away and lets the running task finish', async () => {
    const queue = new CompositionQueue(1);
    const gate = deferred();
    const never = new AbortController().signal;
    const running = queue.run(async () => {
      await gate.promise;
      return 'done';
    }, never);
    const waiting = queue.run(async () => 'ran', never);
    queue.close();
    await expect(waiting).rejects.toBeInstanceOf(CompositionQueueClosed);
    await expect(queue.run(async () => 'late', never)).rejects.toBeInstanceOf(CompositionQueueClosed);
    gate.resolve();
    expect(await running).toBe('done');
  });
});

interface Meeting {
  id: string;
  /** Its recording's job. */
  job: string;
  told: ServerMessageOf<'recordingUpload'>[];
  stopped: string[];
  tap: () => MediaTap | undefined;
}

/** A recording service whose compositions are `composer` (one at a time), delivering to a local folder. */
async function service(composer: Composer, clock: ManualClock, maxConcurrentCompositions = 1) {
  const dir = tempDir('compose');
  onTestFinished(() => dir.remove());
  const root = dir.path;
  const delivered = join(root, 'delivered');
  mkdirSync(delivered);
  const config = parseConfig({
    recording: {
      enabled: true,
      dataDir: join(root, 'data'),
      retentionHours: 1,
      maxConcurrentCompositions,
      local: { dir: delivered },
    },
  }).recording;
  const s = await RecordingService.start({ config, log, clock, composer, sweepIntervalMs: HOUR_MS });
  const start = async (id: string): Promise<Meeting & { stop(): void }> => {
    let tap: MediaTap | undefined;
    const told: ServerMessageOf<'recordingUpload'>[] = [];
    const stopped: string[] = [];
    const recording = s.start({
      meetingId: id,
      destination: { kind: 'local' },
      tap: (t) => {
        tap = t;
        return { requestKeyframes: () => {}, close: () => (tap = undefined) };
      },
      notify: (m) => told.push(m),
      stopped: (reason) => stopped.push(reason),
    });
    const job = s.recorders.at(-1)?.job.id ?? '';
    // File names carry the start time to the second; distinct names keep the deliveries apart.
    clock.advance(1000);
    await until(() => tap !== undefined, 'the tap');
    return { id, job, told, stopped, tap: () => tap, stop: () => recording.stop() };
  };
  return { service: s, delivered, dataDir: config.dataDir, start };
}

/** Half a second of one participant's audio (real time: the jitter buffer releases frames by the clock). */
async function speak(meetings: Meeting[]): Promise<void> {
  const publishers = meetings.map(
    (m) => [m, new SyntheticPublisher(`${m.id}-p`, { fps: 0, video: fillerVp8(16, 16, 100, 1) })] as const,
  );
  let last = performance.now();
  const end = last + 500;
  while (performance.now() < end) {
    await tick();
    const now = performance.now();
    for (const [m, p] of publishers) p.advance(now - last, (...args) => m.tap()?.rtp(...args));
    last = now;
  }
}

/** A composer the test drives: each call waits until released, then writes the output. */
function heldComposer() {
  const calls: { composition: Composition; signal: AbortSignal; release(): void }[] = [];
  let running = 0;
  let most = 0;
  const composer: Composer = async (composition, signal) => {
    running++;
    most = Math.max(most, running);
    const gate = deferred();
    calls.push({ composition, signal, release: gate.resolve });
    await Promise.race([gate.promise, new Promise((r) => signal.addEventListener('abort', r))]);
    running--;
    if (signal.aborted) return false;
    writeFileSync(join(composition.dir, composition.output), 'composed video');
    return true;
  };
  return { composer, calls, most: () => most, running: () => running };
}

describe('compositions in the recording service', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('recordings that stop together compose one after another, in the order they stopped', async () => {
    const fake = heldComposer();
    const clock = new ManualClock();
    const t = await service(fake.composer, clock);
    close = () => t.service.close();
    const meetings = [await t.start('a'), await t.start('b'), await t.start('c'), await t.start('d')];
    await speak(meetings);
    const [a, ...rest] = meetings;
    a?.stop();
    await until(() => fake.calls.length === 1, 'the first composition');
    // The others stop a second apart while a composes; whichever finishes its track files first,
    // they compose in the order they stopped.
    for (const m of rest) {
      m.stop();
      clock.advance(1000);
    }
    // The others wait their turn, and their meetings already know the recording is being prepared.
    await until(() => meetings.every((m) => m.told.length > 0), 'the processing notices');
    for (const m of meetings) expect(m.told[0]).toMatchObject({ status: 'processing', format: 'composed' });
    for (let i = 0; i < meetings.length; i++) {
      await tick();
      expect(fake.calls).toHaveLength(i + 1);
      expect(fake.running()).toBe(1);
      fake.calls[i]?.release();
      if (i < meetings.length - 1) await until(() => fake.calls.length === i + 2, `composition ${i + 2}`);
    }
    await until(() => meetings.every((m) => m.told.at(-1)?.status === 'uploaded'), 'the uploads');
    expect(fake.most()).toBe(1);
    expect(fake.calls.map((c) => c.composition.dir)).toEqual(
      meetings.map((m) => t.service.store.dirOf(m.job)),
    );
    for (const m of meetings)
      expect(m.told.map((x) => x.status)).toEqual(['processing', 'uploading', 'uploaded']);
    expect(readdirSync(t.delivered)).toHaveLength(4);
    expect(readdirSync(t.dataDir)).toEqual([]);
  });

  it('with maxConcurrentCompositions 2, two compose at once and the third waits', async () => {
    const fake = heldComposer();
    const t = await service(fake.composer, new ManualClock(), 2);
    close = () => t.service.close();
    const meetings = [await t.start('a'), await t.start('b'), await t.start('c')];
    await speak(meetings);
    for (const m of meetings) m.stop();
    await until(() => fake.calls.length === 2, 'two compositions');
    await tick();
    expect(fake.calls).toHaveLength(2);
    fake.calls[0]?.release();
    await until(() => fake.calls.length === 3, 'the third composition');
    for (const c of fake.calls) c.release();
    await until(() => meetings.every((m) => m.told.at(-1)?.status === 'uploaded'), 'the uploads');
    expect(fake.most()).toBe(2);
  });

  it('P13: a job whose deadline passes while it waits is never composed and leaves nothing', async () => {
    const fake = heldComposer();
    const clock = new ManualClock();
    const t = await service(fake.composer, clock);
    close = () => t.service.close();
    const [a, b] = [await t.start('a'), await t.start('b')];
    await speak([a, b]);
    a.stop();
    await until(() => fake.calls.length === 1, 'the first composition');
    clock.advance(60_000);
    b.stop();
    await until(() => b.told.length > 0, 'b is queued');
    // c stops half an hour later: its deadline is still ahead when a's and b's have passed.
    clock.advance(30 * 60_000);
    const c = await t.start('c');
    await speak([c]);
    c.stop();
    await until(() => c.told.length > 0, 'c is queued');
    expect(t.service.recorders).toHaveLength(3);

    clock.advance(31 * 60_000);
    expect(await t.service.sweeper.sweep()).toBe(2);
    // a's running composition is told to stop; b never reaches the composer; c comes next.
    await until(() => fake.calls.length === 2, "c's composition");
    expect(fake.calls[0]?.signal.aborted).toBe(true);
    expect(fake.calls[1]?.composition.dir).toBe(t.service.store.dirOf(c.job));
    for (const m of [a, b]) {
      await until(() => m.told.at(-1)?.status === 'failed', `${m.id} told`);
      expect(m.told.at(-1)).toMatchObject({ status: 'failed', reason: 'expired' });
    }
    // Nothing of a and b is left: no media, no job record (with its destination) brought back.
    expect(readdirSync(t.dataDir).sort()).toEqual([c.job, `${c.job}.json`].sort());
    for (const m of [a, b]) expect(existsSync(t.service.store.dirOf(m.job))).toBe(false);
    fake.calls[1]?.release();
    await until(() => c.told.at(-1)?.status === 'uploaded', 'c uploaded');
    expect(readdirSync(t.dataDir)).toEqual([]);
    expect(readdirSync(t.delivered)).toHaveLength(1);
  });

  it('at shutdown, a recording still waiting to compose is archived instead (its upload resumes later)', async () => {
    const fake = heldComposer();
    const t = await service(fake.composer, new ManualClock());
    const [a, b] = [await t.start('a'), await t.start('b')];
    await speak([a, b]);
    a.stop();
    await until(() => fake.calls.length === 1, 'the first composition');
    b.stop();
    await until(() => b.told.length > 0, 'b is queued');
    const closed = t.service.close();
    await until(() => b.told.some((m) => m.format === 'archive'), 'b archived');
    fake.calls[0]?.release();
    await closed;
    expect(fake.calls).toHaveLength(1);
    // Each recording was delivered before the uploads stopped, or waits on disk as an upload that
    // a restart resumes: a composed, b as the archive.
    const waiting = await Promise.all([a, b].map((m) => t.service.store.load(m.job)));
    const outputs = [
      ...readdirSync(t.delivered),
      ...waiting.map((job) => (job?.state === 'uploading' ? job.output : undefined)).filter((o) => o),
    ];
    expect(outputs.map((o) => o?.slice(-4)).sort()).toEqual(['.tar', 'webm']);
    expect(b.told.map((m) => m.format).filter((f) => f)).toEqual(['composed', 'archive']);
  });
});
