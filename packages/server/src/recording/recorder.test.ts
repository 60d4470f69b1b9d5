import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerMessageOf } from '@conclave/protocol';
import { tempDir } from '@conclave/testkit';
import { fillerVp8, SyntheticPublisher } from '@conclave/testkit/rtp';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../log/logger.js';
import type { MediaTap } from '../sfu/MediaEngine.js';
import { systemClock } from './Clock.js';
import type { Manifest } from './compose.js';
import { type JobRecord, JobStore } from './JobStore.js';
import { HOUR_MS } from './Retention.js';
import { RoomRecorder } from './RoomRecorder.js';
import type { OpenFile } from './TrackWriter.js';

/*
 * The recorder on its own, fed synthetic RTP through the engine tap (@conclave/testkit/rtp):
 * a participant who leaves mid-recording, and a local disk that fills up while recording.
 */

const log = createLogger({ level: 'silent' });

async function setup(openFile?: OpenFile) {
  const dir = tempDir('recorder');
  onTestFinished(() => dir.remove());
  const store = new JobStore(join(dir.path, 'data'));
  await store.init();
  const now = Date.now();
  const job: JobRecord = {
    version: 1,
    id: store.newId(),
    meetingId: 'meeting',
    state: 'recording',
    createdAt: now,
    endedAt: now,
    deadline: now + HOUR_MS,
    destination: { kind: 'local' },
    attempts: 0,
  };
  let tap: MediaTap | undefined;
  const told: ServerMessageOf<'recordingUpload'>[] = [];
  const stopped: string[] = [];
  let uploaded: JobRecord | undefined;
  let ended = false;
  const keyframesAsked: [participantId: string | undefined, layer: number | undefined][] = [];
  const recorder = new RoomRecorder(
    job,
    {
      meetingId: 'meeting',
      destination: { kind: 'local' },
      tap: (t) => {
        tap = t;
        return {
          requestKeyframes: (participantId, layer) => keyframesAsked.push([participantId, layer]),
          close: () => (tap = undefined),
        };
      },
      notify: (m) => told.push(m),
      stopped: (reason) => stopped.push(reason),
    },
    {
      store,
      clock: systemClock,
      log,
      retentionMs: HOUR_MS,
      maxDurationMs: 60_000,
      compose: false,
      ffmpegPath: 'ffmpeg',
      openFile,
      upload: (j) => {
        uploaded = j;
      },
      ended: () => {
        ended = true;
      },
    },
  );
  while (!tap) await new Promise((r) => setTimeout(r, 10));
  /** Feeds the publishers in real time for `ms` (each tick advances them by the time that passed). */
  const feed = async (publishers: SyntheticPublisher[], ms: number) => {
    const end = performance.now() + ms;
    let last = performance.now();
    while (performance.now() < end && tap) {
      await new Promise((r) => setTimeout(r, 20));
      const now = performance.now();
      for (const p of publishers) p.advance(now - last, (...args) => tap?.rtp(...args));
      last = now;
    }
  };
  return {
    store,
    job,
    recorder,
    told,
    stopped,
    feed,
    keyframesAsked,
    uploaded: () => uploaded,
    ended: () => ended,
  };
}

/** The archive the recorder made (composition off) and the manifest in it. */
function archiveOf(store: JobStore, id: string, job: JobRecord | undefined) {
  const tar = join(store.dirOf(id), job?.output as string);
  const manifest = JSON.parse(
    execFileSync('tar', ['-xOf', tar, 'manifest.json'], { encoding: 'utf8' }),
  ) as Manifest;
  return { tar, manifest };
}

const publisher = (id: string, bytesPerFrame = 1500) =>
  new SyntheticPublisher(id, { fps: 30, video: fillerVp8(640, 360, bytesPerFrame, 60) });

describe('the recorder', () => {
  it('P13: a participant leaving mid-recording ends their tracks; the recording goes on to the end', async () => {
    const t = await setup();
    const stays = publisher('stays');
    const leaves = publisher('leaves');
    await t.feed([stays, leaves], 1500);
    // "leaves" is gone: the engine sends nothing more for them.
    await t.feed([stays], 1500);
    t.recorder.stop();
    const job = await t.recorder.done;
    expect(t.stopped).toEqual([]);
    expect(job?.state).toBe('uploading');
    expect(job?.output).toMatch(/\.tar$/);
    const { manifest } = archiveOf(t.store, t.job.id, job);
    expect(manifest.duration).toBeGreaterThan(2.7);
    const byParticipant = (n: number) => manifest.tracks.filter((tr) => tr.participant === n);
    expect(byParticipant(1)).toHaveLength(2);
    expect(byParticipant(2)).toHaveLength(2);
    for (const track of byParticipant(1)) expect(track.end).toBeGreaterThan(manifest.duration - 0.5);
    for (const track of byParticipant(2)) {
      expect(track.frames).toBeGreaterThan(10);
      // Ends when they left (~1.5 s after the start), not padded to the end of the recording.
      expect(track.end).toBeGreaterThan(1);
      expect(track.end).toBeLessThan(manifest.duration - 1);
    }
    // Only the archive is left of the job (the per-track files are deleted).
    expect(readdirSync(t.store.dirOf(t.job.id))).toEqual([job?.output]);
    await t.store.delete(t.job.id);
  });

  it('a participant whose SFU session is replaced mid-recording (new SSRC, sequence and timestamps) goes on in the same tracks', async () => {
    const t = await setup();
    const stays = publisher('stays');
    await t.feed([stays, publisher('returns')], 1500);
    // Same participant, a new session: the engine's tap now carries a new source for them.
    await t.feed([stays, publisher('returns')], 1500);
    t.recorder.stop();
    const job = await t.recorder.done;
    const { manifest } = archiveOf(t.store, t.job.id, job);
    const returns = manifest.tracks.filter((tr) => tr.participant === 2);
    expect(returns).toHaveLength(2);
    for (const track of returns) {
      // Both halves are in the file, in order, ending with the recording (not hours later).
      expect(track.end).toBeGreaterThan(manifest.duration - 0.5);
      expect(track.end).toBeLessThan(manifest.duration + 0.5);
      expect(track.frames).toBeGreaterThan(track.kind === 'audio' ? 120 : 60);
    }
    await t.store.delete(t.job.id);
  });

  it("records a simulcast publisher's highest layer, and a lower one while the publisher stops sending the top", async () => {
    const t = await setup();
    // One participant, two layers (two SSRCs): 320×180 with the audio, 640×360 on its own.
    const low = () =>
      new SyntheticPublisher('sim', { fps: 30, video: fillerVp8(320, 180, 800, 30), layer: 0 });
    const high = () =>
      new SyntheticPublisher('sim', {
        fps: 30,
        video: fillerVp8(640, 360, 1500, 30),
        layer: 1,
        noAudio: true,
      });
    const lowLayer = low();
    await t.feed([lowLayer, high()], 1500);
    // The top layer stops (the publisher's bandwidth dropped): the recording goes on with the low one…
    await t.feed([lowLayer], 2500);
    expect(t.keyframesAsked).toContainEqual(['sim', 0]);
    // …and moves up again when the top layer is back.
    await t.feed([lowLayer, high()], 1500);
    t.recorder.stop();
    const job = await t.recorder.done;
    const { tar, manifest } = archiveOf(t.store, t.job.id, job);
    const video = manifest.tracks.find((tr) => tr.kind === 'video');
    expect(video).toMatchObject({ width: 640, height: 360 });
    // One frame per 1/30 s from start to end: no layer's frames doubled up, no long hole.
    const seconds = (video?.end ?? 0) - (video?.start ?? 0);
    expect(seconds).toBeGreaterThan(manifest.duration - 0.7);
    expect(video?.frames).toBeGreaterThan(seconds * 30 * 0.6);
    expect(video?.frames).toBeLessThan(seconds * 30 * 1.1);
    // In the file, in order: top layer, low layer, top layer again (delta frames are 1500 or 800 bytes).
    const dir = mkdtempSync(join(tmpdir(), 'conclave-layers-'));
    execFileSync('tar', ['-xf', tar, '-C', dir]);
    const sizes = execFileSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'packet=size', '-of', 'csv=p=0', join(dir, video?.file as string)],
      { encoding: 'utf8' },
    )
      .split('\n')
      .map(Number)
      .filter((size) => size === 800 || size === 1500);
    rmSync(dir, { recursive: true });
    const runs = sizes.filter((size, i) => size !== sizes[i - 1]);
    expect(runs).toEqual([1500, 800, 1500]);
    await t.store.delete(t.job.id);
  });

  it('P13: a full local disk stops the recording with reason "error", tells the meeting, keeps nothing', async () => {
    // Every track file shares 1.5 MiB of "disk"; then writes fail with ENOSPC, as on a full disk.
    let free = 1.5 * 1024 * 1024;
    const fullDisk: OpenFile = async (path, flags, mode) => {
      const handle = await open(path, flags, mode);
      const write = handle.write.bind(handle) as (...args: unknown[]) => Promise<unknown>;
      handle.write = (async (...args: unknown[]) => {
        free -= Number(args[2] ?? 0);
        if (free < 0)
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return write(...args);
      }) as FileHandle['write'];
      return handle;
    };
    const t = await setup(fullDisk);
    // ~4 Mbit/s per participant: the disk is full after a few seconds.
    const publishers = [publisher('a', 15_000), publisher('b', 15_000), publisher('c', 15_000)];
    const deadline = performance.now() + 30_000;
    while (t.stopped.length === 0 && performance.now() < deadline) await t.feed(publishers, 200);
    expect(t.stopped).toEqual(['error']);
    // The recorder stopped itself (the room also calls stop: idempotent).
    t.recorder.stop();
    expect(await t.recorder.done).toBeUndefined();
    expect(t.uploaded()).toBeUndefined();
    expect(t.ended()).toBe(true);
    expect(t.told.at(-1)).toMatchObject({ type: 'recordingUpload', status: 'failed', reason: 'error' });
    // Nothing kept: no track file, no job record (PRIVACY P13).
    expect(readdirSync(t.store.dataDir)).toEqual([]);
  });
});
