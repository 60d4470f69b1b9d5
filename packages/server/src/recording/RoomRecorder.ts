import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrackSource } from '@conclave/protocol';
import { errorFields, type Logger } from '../log/logger.js';
import type { MediaTapHandle } from '../sfu/MediaEngine.js';
import type { Clock } from './Clock.js';
import { archive, type Composer, compose, type Manifest } from './compose.js';
import type { JobRecord, JobStore } from './JobStore.js';
import { RecordedLayer } from './RecordedLayer.js';
import type { ActiveRecording, RecordingRequest } from './RecordingPort.js';
import { HEARTBEAT_MS } from './Retention.js';
import { type SenderReportTime, SyncGroup } from './TrackTimeline.js';
import { type OpenFile, TrackWriter } from './TrackWriter.js';

export interface RoomRecorderOptions {
  store: JobStore;
  clock: Clock;
  log: Logger;
  retentionMs: number;
  maxDurationMs: number;
  /** Compose one video; otherwise (or when that fails) the archive. */
  compose: boolean;
  /** The ffmpeg of the default composer. */
  ffmpegPath: string;
  /** How to compose instead of running ffmpeg at once (the service: its composition queue). */
  composer?: Composer | undefined;
  /** Tests: how track files are opened (to make the disk fail). */
  openFile?: OpenFile | undefined;
  /** The finished job (state `uploading`, output set) goes to the uploader. */
  upload(job: JobRecord): void;
  /** The job ended without an upload (nothing recorded, disk error): it is already deleted. */
  ended(job: JobRecord): void;
}

const TICK_MS = 100;
/** setTimeout's limit (~24.8 days); a later deadline is left to the sweeper. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A video track without a usable keyframe asks again this often. */
const KEYFRAME_RETRY_MS = 1000;

/**
 * One meeting's recording: taps the engine, writes one WebM per participant track, and on stop
 * composes (or archives) the result and hands it to the uploader. A simulcast publisher's video is
 * recorded from the highest layer it sends (RecordedLayer), moving between layers on keyframes.
 */
export class RoomRecorder implements ActiveRecording {
  readonly #writers = new Map<string, TrackWriter>();
  readonly #participants = new Map<string, number>();
  readonly #started = performance.now();
  readonly #startedAt: number;
  #tap: MediaTapHandle | undefined;
  #ticker: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #limit: NodeJS.Timeout | undefined;
  /** When a keyframe was last asked for, by participant and layer. */
  #keyframeAsked = new Map<string, number>();
  /** The simulcast layer recorded of each participant's video. */
  readonly #layers = new Map<string, RecordedLayer>();
  /** Publishers' latest sender reports, by participant, source, kind and SSRC. */
  readonly #reports = new Map<string, SenderReportTime>();
  /** Each publisher's tracks that share one sender clock (camera + microphone; a screen + its audio). */
  readonly #syncGroups = new Map<string, SyncGroup>();
  #stopped = false;
  #dir: string | undefined;
  /** Aborted when the job must go (its deadline): stops a waiting or running composition. */
  readonly #cancel = new AbortController();
  /** Resolves when the job has been handed on (or dropped); for tests and shutdown. */
  readonly done: Promise<JobRecord | undefined>;
  #ready: Promise<void>;

  constructor(
    readonly job: JobRecord,
    private readonly request: RecordingRequest,
    private readonly options: RoomRecorderOptions,
  ) {
    this.#startedAt = options.clock.now();
    this.#ready = this.#start();
    let finish!: (job: JobRecord | undefined) => void;
    this.done = new Promise((resolve) => {
      finish = resolve;
    });
    this.#finish = finish;
  }

  readonly #finish: (job: JobRecord | undefined) => void;

  readonly #composer: Composer = (c, signal) =>
    this.options.composer
      ? this.options.composer(c, signal)
      : compose(this.options.ffmpegPath, c.dir, c.tracks, c.duration, c.output, signal);

  async #start(): Promise<void> {
    const { store, log } = this.options;
    try {
      this.#dir = await store.create(this.job);
    } catch (err) {
      log.error('recording.start_failed', errorFields(err));
      this.request.stopped('error');
      return;
    }
    if (this.#stopped) return;
    this.#tap = this.request.tap({
      rtp: (participantId, kind, packet, layer, keyframe, source = 'camera') => {
        // A shared screen has one layer; only a camera's simulcast layers need choosing.
        const camera = source === 'camera';
        if (
          camera &&
          kind === 'video' &&
          !this.#layerOf(participantId).accept(layer, keyframe, performance.now())
        )
          return;
        this.#writer(participantId, kind, source)?.rtp(packet);
      },
      senderReport: (participantId, kind, ssrc, ntpMs, rtpTimestamp, source = 'camera') => {
        // Kept even before the track's first packet: the engine hands over its last reports at once.
        if (!this.#stopped)
          this.#reports.set(`${participantId}/${source}/${kind}/${ssrc}`, { ntpMs, rtpTimestamp });
      },
    });
    this.#ticker = setInterval(() => this.#tick(), TICK_MS);
    this.#ticker.unref();
    this.#heartbeat = setInterval(() => void this.#touch(), HEARTBEAT_MS);
    this.#heartbeat.unref();
    this.#limit = setTimeout(() => this.request.stopped('limit'), this.options.maxDurationMs);
    this.#limit.unref();
  }

  /** Seconds since the recording started. */
  #elapsed = (): number => (performance.now() - this.#started) / 1000;

  #writer(participantId: string, kind: 'audio' | 'video', source: TrackSource): TrackWriter | undefined {
    if (this.#stopped || !this.#dir) return undefined;
    const key = `${participantId}/${source}/${kind}`;
    let writer = this.#writers.get(key);
    if (!writer) {
      let n = this.#participants.get(participantId);
      if (n === undefined) {
        n = this.#participants.size + 1;
        this.#participants.set(participantId, n);
      }
      const file = `participant-${n}-${source === 'screen' ? 'screen-' : ''}${kind}.webm`;
      const together = `${participantId}/${source}`;
      let group = this.#syncGroups.get(together);
      if (!group) {
        group = new SyncGroup();
        this.#syncGroups.set(together, group);
      }
      writer = new TrackWriter(
        join(this.#dir, file),
        file,
        kind,
        n,
        this.#elapsed,
        () => this.#askKeyframe(participantId),
        this.options.openFile,
        { group, report: (ssrc) => this.#reports.get(`${key}/${ssrc}`) },
      );
      if (source === 'screen') writer.summary.source = 'screen';
      this.#writers.set(key, writer);
    }
    return writer;
  }

  #layerOf(participantId: string): RecordedLayer {
    let layer = this.#layers.get(participantId);
    if (!layer) {
      layer = new RecordedLayer((wanted) => this.#askKeyframe(participantId, wanted));
      this.#layers.set(participantId, layer);
    }
    return layer;
  }

  /** Asks for a keyframe of the layer recorded (or about to be); by default the one recorded now. */
  #askKeyframe(participantId: string, layer = this.#layers.get(participantId)?.current ?? -1): void {
    const now = performance.now();
    const key = `${participantId}/${layer}`;
    if (now - (this.#keyframeAsked.get(key) ?? -Infinity) < KEYFRAME_RETRY_MS) return;
    this.#keyframeAsked.set(key, now);
    this.#tap?.requestKeyframes(participantId, layer < 0 ? undefined : layer);
  }

  #tick(): void {
    for (const w of this.#writers.values()) {
      w.tick();
      if (w.failed !== undefined && !this.#stopped) {
        // A full disk or a muxer error: stop at once (the room announces `reason: "error"`); what
        // was written before goes on to processing, or the job is deleted if nothing usable is left.
        this.options.log.error('recording.write_failed', errorFields(w.failed));
        this.request.stopped('error');
        this.stop();
        return;
      }
    }
  }

  async #touch(): Promise<void> {
    if (this.#stopped) return;
    const now = this.options.clock.now();
    this.job.endedAt = now;
    this.job.deadline = now + this.options.retentionMs;
    await this.options.store.save(this.job).catch(() => {});
  }

  /**
   * The job's deadline came (the sweeper deleted it, or its processing ran into the deadline):
   * whatever this recording is doing stops, nothing more is written, and what is left is deleted.
   * A recording still capturing stops as after a write error.
   */
  cancel(): void {
    if (this.#cancel.signal.aborted) return;
    this.#cancel.abort(new Error('expired'));
    if (!this.#stopped) {
      this.request.stopped('error');
      this.stop();
    }
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#tap?.close();
    clearInterval(this.#ticker);
    clearInterval(this.#heartbeat);
    clearTimeout(this.#limit);
    const duration = this.#elapsed();
    const job = this.job;
    const fail = async (reason: string): Promise<undefined> => {
      // Deleting frees space, so it works on a full disk; if even that fails, the sweeper retries.
      await this.options.store.delete(job.id).catch(() => {});
      this.request.notify({
        type: 'recordingUpload',
        status: 'failed',
        destination: job.destination.kind,
        reason,
      });
      this.options.ended(job);
      return undefined;
    };
    void this.#process(duration, fail).then(this.#finish, async (err) => {
      // Anything unexpected (e.g. the job record cannot be saved on a full disk): the recording is
      // deleted now and the meeting told, rather than left for the deadline (PRIVACY P13).
      const cancelled = this.#cancel.signal.aborted;
      if (!cancelled) this.options.log.error('recording.process_failed', errorFields(err));
      this.#finish(await fail(cancelled ? 'expired' : 'error'));
    });
  }

  async #process(
    duration: number,
    fail: (reason: string) => Promise<undefined>,
  ): Promise<JobRecord | undefined> {
    // Processing can wait long for its turn to compose; the deadline still applies meanwhile
    // (PRIVACY P13). The sweeper also cancels, within a minute; this timer is exact.
    const end = this.options.clock.now();
    const left = this.options.retentionMs;
    const cutoff = left <= MAX_TIMER_MS ? setTimeout(() => this.cancel(), left) : undefined;
    cutoff?.unref();
    try {
      return await this.#processUntilCancelled(duration, end, fail);
    } finally {
      clearTimeout(cutoff);
    }
  }

  async #processUntilCancelled(
    duration: number,
    endedAt: number,
    fail: (reason: string) => Promise<undefined>,
  ): Promise<JobRecord | undefined> {
    const signal = this.#cancel.signal;
    await this.#ready;
    const { store, log } = this.options;
    const job = this.job;
    // Checked before every save: saving a job the sweeper deleted would bring its record back.
    const expired = () => fail('expired');
    if (signal.aborted) return expired();
    job.endedAt = endedAt;
    job.deadline = job.endedAt + this.options.retentionMs;
    job.state = 'processing';
    const dir = this.#dir;
    if (!dir) return fail('error');
    await store.save(job);
    const tracks = [];
    let failedTracks = 0;
    for (const writer of this.#writers.values()) {
      try {
        tracks.push(await writer.finish());
      } catch (err) {
        failedTracks++;
        log.warn('recording.track_failed', errorFields(err));
      }
    }
    if (signal.aborted) return expired();
    if (!tracks.some((t) => t.frames > 0)) return fail(failedTracks > 0 ? 'error' : 'empty');
    const manifest: Manifest = {
      version: 1,
      duration,
      startedAt: new Date(this.#startedAt).toISOString(),
      tracks,
    };
    const stamp = new Date(this.#startedAt).toISOString().replace(/[:.]/g, '-').slice(0, 19);
    let output = `conclave-${stamp}.webm`;
    let composed = false;
    const processing = (format: 'composed' | 'archive') =>
      this.request.notify({
        type: 'recordingUpload',
        status: 'processing',
        destination: job.destination.kind,
        format,
      });
    if (this.options.compose) {
      // Told before waiting for a turn, so a meeting behind others in the queue knows what happens.
      processing('composed');
      try {
        composed = await this.#composer({ dir, tracks, duration, output, deadline: job.deadline }, signal);
      } catch (err) {
        if (!signal.aborted) throw err;
      }
      if (signal.aborted || this.options.clock.now() >= job.deadline) return expired();
    }
    if (!composed) {
      output = `conclave-${stamp}.tar`;
      processing('archive');
      try {
        await archive(dir, manifest, output);
      } catch (err) {
        if (signal.aborted) return expired();
        log.error('recording.archive_failed', errorFields(err));
        return fail('error');
      }
    }
    if (signal.aborted) return expired();
    log.info('recording.processed', { composed, tracks: tracks.length, seconds: Math.round(duration) });
    // Only the file to upload stays (PRIVACY P13: nothing is kept that is not needed).
    for (const t of tracks) await rm(join(dir, t.file), { force: true });
    if (signal.aborted) return expired();
    job.output = output;
    job.state = 'uploading';
    await store.save(job);
    this.options.upload(job);
    return job;
  }
}
