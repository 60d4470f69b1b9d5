import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerMessageOf } from '@conclave/protocol';
import { tempDir, until } from '@conclave/testkit';
import { WrtcPeer } from '@conclave/testkit/wrtc';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../log/logger.js';
import type { MediaRouter, MediaSession } from '../sfu/MediaEngine.js';
import { NdcEngine } from '../sfu/NdcEngine.js';
import type { Destination } from './destinations/Destination.js';
import { RecordingService } from './RecordingService.js';

/*
 * A real recording: three @roamhq/wrtc peers in an SFU meeting for ~10 s, recorded from inside the
 * engine, composed with Debian's ffmpeg and checked with ffprobe (duration, streams, decodable
 * frames). Run in a loopback-only namespace: unshare -n bash -c 'ip link set lo up && npx vitest run …'.
 */

const log = createLogger({ level: 'silent' });

function join3(router: MediaRouter, id: string) {
  let session: MediaSession | undefined;
  const early: Parameters<MediaSession['signal']>[0][] = [];
  const peer = new WrtcPeer({
    publish: { audioLevel: 0.3, width: 320, height: 180, fps: 15 },
    decode: false,
    send: (signal) => (session ? session.signal(signal) : early.push(signal)),
  });
  onTestFinished(() => peer.close());
  session = router.openSession(id, {
    signal: (signal) => void peer.signal(signal).catch(() => {}),
    closed: () => {},
  });
  for (const s of early) session.signal(s);
  return peer;
}

function probe(file: string) {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
  return JSON.parse(String(out)) as {
    format: { duration: string };
    streams: { codec_type: string; codec_name: string }[];
  };
}

describe('recording a three-person meeting (real WebRTC peers)', () => {
  it('P13: records ~10 s to one composed WebM that ffprobe reads and ffmpeg decodes', async () => {
    // Closed when this attempt ends, in reverse order: peers, service, engine, directories.
    const dirs = [tempDir('rec'), tempDir('delivered')];
    onTestFinished(() => {
      for (const dir of dirs) dir.remove();
    });
    const engine = await NdcEngine.start(
      {
        port: 0,
        bindAddress: '127.0.0.1',
        announcedAddress: '',
        maxVideoBitrate: 500_000,
        connectTimeoutMs: 15_000,
      },
      log,
    );
    onTestFinished(() => engine.close());
    const router = engine.createRouter({ dominantSpeaker: () => {} });
    for (const id of ['alice', 'bob', 'carol']) join3(router, id);
    // Let the three connect and media flow before recording starts.
    const deadline = Date.now() + 20_000;
    while (engine.stats().rtpReceived < 300 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));

    const dataDir = join(dirs[0]?.path ?? '', 'data');
    const delivered = join(dirs[1]?.path ?? '', 'out');
    mkdirSync(delivered);
    const config = parseConfig({
      recording: { enabled: true, dataDir, local: { dir: delivered } },
    }).recording;
    const service = await RecordingService.start({ config, log });
    onTestFinished(() => service.close());
    const told: ServerMessageOf<'recordingUpload'>[] = [];
    const recording = service.start({
      meetingId: 'meeting',
      destination: { kind: 'local' },
      tap: (tap) => router.addTap(tap),
      notify: (m) => told.push(m),
      stopped: () => {},
    });
    const [recorder] = service.recorders;
    await new Promise((r) => setTimeout(r, 10_000));
    recording.stop();
    const job = await recorder?.done;
    expect(job?.output).toMatch(/\.webm$/);
    await until(
      () => told.some((m) => m.status === 'uploaded' || m.status === 'failed'),
      'the upload',
      30_000,
    );
    expect(told.map((m) => m.status)).toEqual(['processing', 'uploading', 'uploaded']);
    // Uploaded: nothing is left in the data directory (PRIVACY P13).
    expect(readdirSync(dataDir)).toEqual([]);
    const file = join(delivered, readdirSync(delivered)[0] as string);

    const info = probe(file);
    expect(Number(info.format.duration)).toBeGreaterThan(9);
    expect(Number(info.format.duration)).toBeLessThan(11);
    expect(info.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    // Every frame decodes: ffmpeg reports no error while decoding the whole file.
    const errors = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
      encoding: 'utf8',
    });
    expect(errors).toBe('');
    const frames = execFileSync('ffprobe', [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=nb_read_frames',
      '-of',
      'csv=p=0',
      file,
    ]);
    expect(Number(String(frames).trim())).toBeGreaterThan(100);
  }, 90_000);
});

export type { Destination };
