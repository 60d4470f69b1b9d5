import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pack } from 'tar-stream';
import type { TrackSummary } from './TrackWriter.js';

/*
 * What the user gets: one video (a grid of everyone's camera, or the shared screens large on a
 * stage with the cameras beside it, with everyone's audio mixed), made by
 * Debian's ffmpeg; or, when ffmpeg is missing or fails, the per-track WebM files plus a manifest in
 * one tar archive. Composition needs a re-encode (libvpx + libopus, realtime settings); the archive
 * keeps the original streams untouched, and the manifest has what is needed to line them up.
 */

export interface Manifest {
  version: 1;
  /** Seconds. */
  duration: number;
  startedAt: string;
  tracks: TrackSummary[];
}

const CANVAS_W = 1280;
const CANVAS_H = 720;
const FPS = 15;

/** Width of the stage a shared screen gets when there are cameras beside it. */
const STAGE_W = 960;

/**
 * One tile of the picture: scaled into w×h keeping its aspect ratio, black until its first frame,
 * and after its last either held (`clone`, a camera that froze) or black (`add`, a screen whose
 * share ended: its last slide must not look as if it were still shown).
 */
function fit(w: number, h: number, start: number, after: 'clone' | 'add'): string {
  return (
    `setpts=PTS-STARTPTS,scale=${w}:${h}:force_original_aspect_ratio=decrease,` +
    `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,fps=${FPS},` +
    `tpad=start_duration=${start.toFixed(3)}:stop=-1:stop_mode=${after},format=yuv420p`
  );
}

/**
 * The stage while screens are shared, as the meeting showed it: each screen from its first frame
 * to its last, a newer share over an older one, and the older one back when the newer ends (two
 * presenters one after the other each get the stage for their own part). Black while nobody shares.
 */
function stageFilters(
  screens: TrackSummary[],
  index: (t: TrackSummary) => number,
  w: number,
  d: string,
): string[] {
  const byStart = [...screens].sort((a, b) => a.start - b.start);
  const filters = [`color=c=black:s=${w}x${CANVAS_H}:r=${FPS}:d=${d},format=yuv420p[stage0]`];
  byStart.forEach((t, i) => {
    filters.push(
      `[${index(t)}:v]${fit(w, CANVAS_H, t.start, 'add')}[screen${i}]`,
      // Quoted: the commas belong to between(), not to the filter graph.
      `[stage${i}][screen${i}]overlay=enable='between(t,${t.start.toFixed(3)},${t.end.toFixed(3)})'` +
        `${i === byStart.length - 1 ? '[stage]' : `[stage${i + 1}]`}`,
    );
  });
  return filters;
}

/** The ffmpeg arguments of a composition; exported for its unit test. */
export function composeArgs(dir: string, tracks: TrackSummary[], duration: number, output: string): string[] {
  const usable = tracks.filter((t) => t.frames > 0);
  const videos = usable.filter((t) => t.kind === 'video');
  const audios = usable.filter((t) => t.kind === 'audio');
  const args = ['-hide_banner', '-loglevel', 'error', '-y'];
  for (const t of usable) args.push('-i', join(dir, t.file));
  const index = (t: TrackSummary) => usable.indexOf(t);
  const filters: string[] = [];
  const d = duration.toFixed(3);
  const screens = videos.filter((t) => t.source === 'screen');
  if (screens.length > 0) {
    // Shared screens take the stage (left, full height) and the cameras a column on the right.
    const cameras = videos.filter((t) => t.source !== 'screen');
    const stageW = cameras.length ? STAGE_W : CANVAS_W;
    filters.push(...stageFilters(screens, index, stageW, d));
    if (cameras.length === 0) filters.push(`[stage]pad=${CANVAS_W}:${CANVAS_H}:(ow-iw)/2:(oh-ih)/2[vout]`);
    else {
      const w = CANVAS_W - STAGE_W;
      const h = Math.floor(Math.min(CANVAS_H / cameras.length, (w * 9) / 16) / 2) * 2;
      cameras.forEach((t, i) => {
        filters.push(`[${index(t)}:v]${fit(w, h, t.start, 'clone')}[v${i}]`);
      });
      const layout = ['0_0', ...cameras.map((_, i) => `${STAGE_W}_${i * h}`)].join('|');
      filters.push(
        `[stage]${cameras.map((_, i) => `[v${i}]`).join('')}xstack=inputs=${cameras.length + 1}:layout=${layout}:fill=black[vstack]`,
        `[vstack]pad=${CANVAS_W}:${CANVAS_H}:0:0[vout]`,
      );
    }
  } else if (videos.length > 0) {
    const cols = Math.ceil(Math.sqrt(videos.length));
    const rows = Math.ceil(videos.length / cols);
    const w = Math.floor(CANVAS_W / cols / 2) * 2;
    const h = Math.floor(CANVAS_H / rows / 2) * 2;
    videos.forEach((t, i) => {
      filters.push(`[${index(t)}:v]${fit(w, h, t.start, 'clone')}[v${i}]`);
    });
    if (videos.length === 1) filters.push('[v0]null[vout]');
    else {
      const layout = videos.map((_, i) => `${(i % cols) * w}_${Math.floor(i / cols) * h}`).join('|');
      filters.push(
        `${videos.map((_, i) => `[v${i}]`).join('')}xstack=inputs=${videos.length}:layout=${layout}:fill=black[vgrid]`,
        `[vgrid]pad=${CANVAS_W}:${CANVAS_H}:(ow-iw)/2:(oh-ih)/2[vout]`,
      );
    }
  }
  if (audios.length > 0) {
    audios.forEach((t, i) => {
      const delay = Math.round(t.start * 1000);
      // aresample fills every gap of 10 ms or more (lost packets, a track moved later onto its
      // sender's clock: TrackTimeline) with silence; by default only gaps over 100 ms were filled and
      // shorter ones closed up, pulling the rest of the track early. adelay puts it where it began.
      filters.push(
        `[${index(t)}:a]aresample=async=1:min_hard_comp=0.01:first_pts=0,adelay=${delay}:all=1,apad[a${i}]`,
      );
    });
    filters.push(
      `${audios.map((_, i) => `[a${i}]`).join('')}amix=inputs=${audios.length}:duration=longest:normalize=0[aout]`,
    );
  }
  if (filters.length) args.push('-filter_complex', filters.join(';'));
  if (videos.length) {
    args.push('-map', '[vout]', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8');
    args.push('-b:v', '1500k', '-r', String(FPS));
  }
  if (audios.length) args.push('-map', '[aout]', '-c:a', 'libopus', '-b:a', '96k');
  args.push('-t', d, '-f', 'webm', output);
  return args;
}

/** What a composition needs: the job directory, its finished tracks, and the file to make there. */
export interface Composition {
  dir: string;
  tracks: TrackSummary[];
  /** Seconds. */
  duration: number;
  output: string;
  /** The job's retention deadline (wall clock): a composition whose turn comes later is skipped. */
  deadline: number;
}

/**
 * Makes the composed video; resolves false when it could not (the archive is made instead). When
 * `signal` aborts (the job's deadline came, or it was deleted), work stops and nothing is left.
 */
export type Composer = (composition: Composition, signal: AbortSignal) => Promise<boolean>;

/**
 * Runs ffmpeg; resolves true when it made the file. Never throws (failure means: make an archive).
 * An abort kills ffmpeg (a deleted job must not keep a core busy for nobody).
 */
export async function compose(
  ffmpeg: string,
  dir: string,
  tracks: TrackSummary[],
  duration: number,
  output: string,
  signal?: AbortSignal,
): Promise<boolean> {
  if (!tracks.some((t) => t.frames > 0) || signal?.aborted) return false;
  const ok = await new Promise<boolean>((resolve) => {
    const child = spawn(ffmpeg, composeArgs(dir, tracks, duration, join(dir, output)), {
      stdio: ['ignore', 'ignore', 'ignore'],
      ...(signal ? { signal, killSignal: 'SIGKILL' as const } : {}),
    });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
  if (ok && !signal?.aborted) {
    const size = await stat(join(dir, output)).then(
      (s) => s.size,
      () => 0,
    );
    if (size > 0) return true;
  }
  await rm(join(dir, output), { force: true });
  return false;
}

/** The fallback: every track file plus manifest.json in one tar archive. */
export async function archive(dir: string, manifest: Manifest, output: string): Promise<void> {
  const tar = pack();
  const written = pipeline(tar, createWriteStream(join(dir, output), { mode: 0o600, flags: 'wx' }));
  const json = Buffer.from(JSON.stringify(manifest, null, 2));
  tar.entry({ name: 'manifest.json', size: json.length, mode: 0o600 }, json);
  for (const t of manifest.tracks) {
    if (t.frames === 0) continue;
    const path = join(dir, t.file);
    const { size } = await stat(path);
    await new Promise<void>((resolve, reject) => {
      const entry = tar.entry({ name: t.file, size, mode: 0o600 }, (err) => (err ? reject(err) : resolve()));
      createReadStream(path).on('error', reject).pipe(entry);
    });
  }
  tar.finalize();
  await written;
}
