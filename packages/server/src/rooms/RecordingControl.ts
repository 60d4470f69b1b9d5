import type { RecordingDestination } from '@conclave/protocol';
import { ConclaveError } from '../errors.js';
import { type Logger, literal } from '../log/logger.js';
import type { ActiveRecording, RecordingPort } from '../recording/RecordingPort.js';
import type { MediaSwitch } from './MediaSwitch.js';
import type { Roster } from './Roster.js';

export type RecordingStop = 'requested' | 'e2ee' | 'limit' | 'error';

export interface RecordingControlContext {
  meetingId: string;
  roster: Roster;
  media: MediaSwitch;
  log: Logger;
  /** The meeting ended: nobody is left to tell. */
  closed(): boolean;
  /** Tells everyone the room's state changed (`roomUpdated`; it shows whether it is recorded). */
  announceState(): void;
}

/**
 * The room's side of a recording: it starts only when nobody encrypts end to end (PRIVACY P12),
 * and every start and stop is announced to everyone (P13). Who may ask is the Room's check
 * (moderators); the recorder behind the port only turns media into files and files into uploads.
 */
export class RecordingControl {
  #active: ActiveRecording | undefined;

  constructor(
    private readonly port: RecordingPort | undefined,
    private readonly ctx: RecordingControlContext,
  ) {}

  get active(): boolean {
    return this.#active !== undefined;
  }

  start(by: string, destination: RecordingDestination): void {
    const port = this.port;
    if (!port) throw new ConclaveError('RECORDING_UNAVAILABLE');
    if (this.#active) throw new ConclaveError('ALREADY_RECORDING');
    if (this.ctx.roster.e2eeActive) throw new ConclaveError('E2EE_ACTIVE');
    const recording = port.start({
      meetingId: this.ctx.meetingId,
      destination,
      tap: (tap) => this.ctx.media.tap(tap),
      notify: (message) => {
        if (!this.ctx.closed()) this.ctx.roster.broadcast(message);
      },
      stopped: (reason) => {
        if (this.#active === recording) this.stop(null, reason);
      },
    });
    this.#active = recording;
    this.ctx.log.info('recording.started');
    this.ctx.roster.broadcast({ type: 'recording', recording: true, by });
    this.ctx.announceState();
    // A two-person meeting moves to the SFU, where the recorder taps the media.
    this.ctx.media.update();
  }

  /** Stops a running recording (`by`: the moderator who asked, or null); a no-op when none runs. */
  stop(by: string | null, reason: RecordingStop): void {
    const recording = this.#active;
    if (!recording) return;
    this.#active = undefined;
    recording.stop();
    this.ctx.log.info('recording.stopped', { reason: literal(reason) });
    if (this.ctx.closed()) return;
    this.ctx.roster.broadcast({ type: 'recording', recording: false, by, reason });
    this.ctx.announceState();
    this.ctx.media.update();
  }
}
