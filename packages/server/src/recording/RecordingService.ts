import type { RecordingOptions, ServerMessageOf } from '@conclave/protocol';
import type { Config } from '../config/schema.js';
import { ConclaveError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { type Clock, systemClock } from './Clock.js';
import { CompositionQueue, CompositionQueueClosed } from './CompositionQueue.js';
import { type Composer, compose } from './compose.js';
import type { Destination, StoredDestination } from './destinations/Destination.js';
import { DropboxDestination } from './destinations/DropboxUpload.js';
import { LocalFolderDestination } from './destinations/LocalFolder.js';
import { isPrivateHost } from './destinations/privateAddress.js';
import { type ResolveHost, WebDavDestination } from './destinations/WebDav.js';
import { type JobRecord, JobStore } from './JobStore.js';
import type { ActiveRecording, RecordingPort, RecordingRequest } from './RecordingPort.js';
import { HOUR_MS, RetentionSweeper } from './Retention.js';
import { RoomRecorder } from './RoomRecorder.js';
import { Uploader } from './Uploader.js';

export interface RecordingServiceOptions {
  config: Config['recording'];
  log: Logger;
  clock?: Clock;
  /** How often the sweeper runs (default: every minute). */
  sweepIntervalMs?: number;
  /** Tests: what composes instead of ffmpeg (still one at a time through the queue). */
  composer?: Composer;
  /** Tests: request timeout, backoff, Dropbox endpoint. */
  uploads?: {
    timeoutMs?: number;
    baseBackoffMs?: number;
    maxBackoffMs?: number;
    dropboxChunkBytes?: number;
    dropboxDomain?: string;
    dropboxFetch?: typeof fetch;
    /** How WebDAV host names are resolved (default: the system resolver). */
    webdavResolve?: ResolveHost;
  };
}

/**
 * Recording, retention and upload for the whole server (DESIGN "Recorder", "Uploader + retention
 * sweeper"). Rooms reach it through `RecordingPort`. On start it sweeps the data directory (a
 * restart never leaves a file past its deadline) and resumes the uploads a restart interrupted.
 */
export class RecordingService implements RecordingPort {
  readonly options: RecordingOptions;
  readonly store: JobStore;
  readonly uploader: Uploader;
  readonly sweeper: RetentionSweeper;
  readonly #recorders = new Set<RoomRecorder>();
  readonly #meetings = new Map<string, (message: ServerMessageOf<'recordingUpload'>) => void>();
  readonly #clock: Clock;
  readonly #retentionMs: number;
  readonly #compositions: CompositionQueue;

  private constructor(private readonly settings: RecordingServiceOptions) {
    const { config, log } = settings;
    this.#clock = settings.clock ?? systemClock;
    this.#retentionMs = config.retentionHours * HOUR_MS;
    this.store = new JobStore(config.dataDir);
    this.#compositions = new CompositionQueue(config.maxConcurrentCompositions);
    const destinations: RecordingOptions['destinations'] = [];
    if (config.dropbox.appKey) destinations.push('dropbox');
    if (config.webdav.enabled) destinations.push('webdav');
    if (config.local.dir) destinations.push('local');
    this.options = {
      destinations,
      ...(config.dropbox.appKey
        ? {
            dropboxAppKey: config.dropbox.appKey,
            dropboxAuthorizeUrl: config.dropbox.authorizeUrl,
            dropboxTokenUrl: config.dropbox.tokenUrl,
          }
        : {}),
      retentionHours: config.retentionHours,
    };
    this.uploader = new Uploader({
      store: this.store,
      clock: this.#clock,
      log,
      retentionMs: this.#retentionMs,
      destination: (d) => this.#destination(d),
      notify: (meetingId, message) => this.#meetings.get(meetingId)?.(message),
      ...(settings.uploads?.baseBackoffMs !== undefined
        ? { baseBackoffMs: settings.uploads.baseBackoffMs }
        : {}),
      ...(settings.uploads?.maxBackoffMs !== undefined
        ? { maxBackoffMs: settings.uploads.maxBackoffMs }
        : {}),
    });
    this.sweeper = new RetentionSweeper({
      store: this.store,
      retentionMs: this.#retentionMs,
      clock: this.#clock,
      log,
      isLive: (id) => this.#isLive(id),
      onDeleted: (job) => {
        // A job deleted while it waits for (or runs) its composition must not be composed after.
        for (const r of this.#recorders) if (r.job.id === job.id) r.cancel();
        this.uploader.abort(job.id);
      },
    });
  }

  /** Creates the data directory, sweeps it, resumes interrupted uploads and starts the periodic sweep. */
  static async start(settings: RecordingServiceOptions): Promise<RecordingService> {
    const service = new RecordingService(settings);
    await service.store.init();
    await service.sweeper.start(settings.sweepIntervalMs ?? 60_000);
    const { jobs } = await service.store.scan();
    for (const job of jobs) if (job.state === 'uploading') void service.uploader.enqueue(job);
    return service;
  }

  start(request: RecordingRequest): ActiveRecording {
    this.#check(request.destination);
    const now = this.#clock.now();
    const job: JobRecord = {
      version: 1,
      id: this.store.newId(),
      meetingId: request.meetingId,
      state: 'recording',
      createdAt: now,
      endedAt: now,
      deadline: now + this.#retentionMs,
      destination: request.destination,
      attempts: 0,
    };
    this.#meetings.set(request.meetingId, request.notify);
    const recorder: RoomRecorder = new RoomRecorder(job, request, {
      store: this.store,
      clock: this.#clock,
      log: this.settings.log,
      retentionMs: this.#retentionMs,
      maxDurationMs: this.settings.config.maxDurationMinutes * 60_000,
      compose: this.settings.config.compose,
      ffmpegPath: this.settings.config.ffmpegPath,
      composer: this.#composer(),
      upload: (j) => {
        this.#recorders.delete(recorder);
        void this.uploader.enqueue(j).finally(() => this.#forget(request.meetingId, request.notify));
      },
      ended: () => {
        this.#recorders.delete(recorder);
        this.#forget(request.meetingId, request.notify);
      },
    });
    this.#recorders.add(recorder);
    return recorder;
  }

  /** The recorders still capturing or processing (tests wait on their `done`). */
  get recorders(): readonly RoomRecorder[] {
    return [...this.#recorders];
  }

  /**
   * Compositions wait their turn in the queue. At shutdown the waiting ones become archives (quick,
   * and then their uploads resume after a restart) instead of holding shutdown up one by one.
   */
  #composer(): Composer {
    const { ffmpegPath } = this.settings.config;
    const composer: Composer =
      this.settings.composer ??
      ((c, signal) => compose(ffmpegPath, c.dir, c.tracks, c.duration, c.output, signal));
    return async (composition, signal) => {
      // The turn may come after the deadline but before the sweeper reached the job: skip it then
      // (the recorder sees the deadline and deletes the job) rather than start ffmpeg for nothing.
      const turn = () =>
        this.#clock.now() >= composition.deadline ? Promise.resolve(false) : composer(composition, signal);
      try {
        return await this.#compositions.run(turn, signal, composition.deadline);
      } catch (err) {
        if (err instanceof CompositionQueueClosed) return false;
        throw err;
      }
    };
  }

  async close(): Promise<void> {
    this.sweeper.stop();
    this.#compositions.close();
    for (const r of this.#recorders) r.stop();
    await Promise.allSettled([...this.#recorders].map((r) => r.done));
    await this.uploader.close();
  }

  #forget(meetingId: string, notify: (message: ServerMessageOf<'recordingUpload'>) => void): void {
    if (this.#meetings.get(meetingId) === notify) this.#meetings.delete(meetingId);
  }

  #isLive(id: string): boolean {
    for (const r of this.#recorders) if (r.job.id === id) return true;
    return this.uploader.isActive(id);
  }

  #check(destination: StoredDestination): void {
    if (!this.options.destinations.includes(destination.kind)) {
      throw new ConclaveError(
        'RECORDING_UNAVAILABLE',
        'This server does not offer that recording destination.',
      );
    }
    // Refused at once when the URL shows it; a name is resolved and checked again at each upload
    // attempt (WebDavDestination), where the connection is made.
    if (destination.kind === 'webdav' && !this.settings.config.webdav.allowPrivateAddresses) {
      if (isPrivateHost(new URL(destination.url).hostname)) {
        throw new ConclaveError(
          'RECORDING_UNAVAILABLE',
          'WebDAV destinations on private addresses are not allowed.',
        );
      }
    }
  }

  #destination(stored: StoredDestination): Destination {
    const u = this.settings.uploads ?? {};
    const timeoutMs = u.timeoutMs ?? 30_000;
    switch (stored.kind) {
      case 'webdav':
        return new WebDavDestination({
          ...stored,
          timeoutMs,
          allowPrivateAddresses: this.settings.config.webdav.allowPrivateAddresses,
          resolve: u.webdavResolve,
        });
      case 'dropbox':
        return new DropboxDestination({
          accessToken: stored.accessToken,
          chunkBytes: u.dropboxChunkBytes ?? 8 * 1024 * 1024,
          timeoutMs: u.timeoutMs ?? 120_000,
          domain: u.dropboxDomain,
          fetch: u.dropboxFetch,
        });
      case 'local':
        return new LocalFolderDestination(this.settings.config.local.dir);
    }
  }
}
