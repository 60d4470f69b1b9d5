import type { RecordingDestination, RecordingOptions, ServerMessageOf } from '@conclave/protocol';
import type { MediaTap, MediaTapHandle } from '../sfu/MediaEngine.js';

/*
 * The recorder as a room sees it: rooms never import the recorder itself (STYLE 3, 11). The room
 * checks who may record and when (moderator, no E2EE: PRIVACY P12) and announces it (P13); the
 * recorder only turns media into files and files into uploads.
 */

export interface RecordingRequest {
  /** Random per meeting, never the room name (PRIVACY P7). */
  meetingId: string;
  destination: RecordingDestination;
  /** Taps the meeting's media inside the engine; undefined when there is no engine. */
  tap(tap: MediaTap): MediaTapHandle | undefined;
  /** Processing and upload progress, to everyone still in the meeting (a no-op after it ended). */
  notify(message: ServerMessageOf<'recordingUpload'>): void;
  /** The recording stopped by itself (length limit, disk error); the room announces it. */
  stopped(reason: 'limit' | 'error'): void;
}

export interface ActiveRecording {
  /** Idempotent: stops capture; processing and upload go on in the background. */
  stop(): void;
}

export interface RecordingPort {
  readonly options: RecordingOptions;
  /** Throws ConclaveError('RECORDING_UNAVAILABLE') for a destination this server does not offer. */
  start(request: RecordingRequest): ActiveRecording;
}
