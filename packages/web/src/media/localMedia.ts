import { t } from '../i18n/index.js';
import { describeMediaError } from '../ui/errors.js';

/**
 * This device's camera and microphone. Whoever holds a LocalMedia owns its tracks and must call
 * `stop()` when done, so the camera light goes off as soon as nobody needs it.
 */
export interface LocalMedia {
  readonly audio: MediaStreamTrack | undefined;
  readonly video: MediaStreamTrack | undefined;
  /** Why some or all media is missing, in plain words; undefined when both devices opened. */
  problem: string | undefined;
  tracks(): MediaStreamTrack[];
  /** Takes `track` in place of the one of its kind (another device) and stops the old one. */
  replace(track: MediaStreamTrack): void;
  stop(): void;
}

const VIDEO: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30 },
};
const AUDIO: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

/** Opens camera and microphone; never throws, because joining without media is always allowed. */
export async function openLocalMedia(): Promise<LocalMedia> {
  if (!navigator.mediaDevices?.getUserMedia) {
    return localMedia(undefined, undefined, describeMediaError(new TypeError('no mediaDevices')));
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: AUDIO, video: VIDEO });
    return localMedia(stream.getAudioTracks()[0], stream.getVideoTracks()[0], undefined);
  } catch (error) {
    // A refusal covers both devices; asking again for each would only repeat the prompt.
    if (isDenied(error)) return localMedia(undefined, undefined, describeMediaError(error));
    // Otherwise one device may be missing or busy while the other works.
    const audio = await openOne('audio');
    const video = await openOne('video');
    const problem = !audio && !video ? describeMediaError(error) : partialProblem(audio, video);
    return localMedia(audio, video, problem);
  }
}

/** No devices at all, and no problem to report (a browser without WebRTC has its own notice). */
export function noLocalMedia(): LocalMedia {
  return localMedia(undefined, undefined, undefined);
}

/** Opens one particular camera or microphone (a device switch); throws what getUserMedia throws. */
export async function openDevice(kind: 'audio' | 'video', deviceId: string): Promise<MediaStreamTrack> {
  const constraints = { ...(kind === 'audio' ? AUDIO : VIDEO), deviceId: { exact: deviceId } };
  const stream = await navigator.mediaDevices.getUserMedia({ [kind]: constraints });
  const track = stream.getTracks()[0];
  if (!track) throw new DOMException('The device gave no track.', 'NotReadableError');
  return track;
}

async function openOne(kind: 'audio' | 'video'): Promise<MediaStreamTrack | undefined> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia(
      kind === 'audio' ? { audio: AUDIO } : { video: VIDEO },
    );
    return stream.getTracks()[0];
  } catch {
    return undefined;
  }
}

function partialProblem(audio: MediaStreamTrack | undefined, video: MediaStreamTrack | undefined): string {
  if (!video) return t('mediaError.noCamera');
  if (!audio) return t('mediaError.noMicrophone');
  return '';
}

function isDenied(error: unknown): boolean {
  return (
    error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'SecurityError')
  );
}

function localMedia(
  openedAudio: MediaStreamTrack | undefined,
  openedVideo: MediaStreamTrack | undefined,
  problem: string | undefined,
): LocalMedia {
  let audio = openedAudio;
  let video = openedVideo;
  return {
    get audio() {
      return audio;
    },
    get video() {
      return video;
    },
    problem: problem || undefined,
    tracks: () => [audio, video].filter((t): t is MediaStreamTrack => t !== undefined),
    replace(track) {
      const old = track.kind === 'audio' ? audio : video;
      if (old === track) return;
      if (track.kind === 'audio') audio = track;
      else video = track;
      old?.stop();
    },
    stop() {
      audio?.stop();
      video?.stop();
    },
  };
}
