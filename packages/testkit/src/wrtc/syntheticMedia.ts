import wrtc from '@roamhq/wrtc';

export interface SyntheticMediaOptions {
  audio?: boolean;
  video?: boolean;
  width?: number;
  height?: number;
  fps?: number;
  /** Amplitude of the tone, 0..1 (what the SFU's audio-level reading sees). */
  audioLevel?: number;
}

export interface SyntheticMedia {
  /** At most one video and one audio track, as a camera and microphone would give. */
  tracks: MediaStreamTrack[];
  stop(): void;
}

/**
 * A camera (a moving gradient, so the encoder has something to encode; 320×180 at 15 fps unless
 * told) and a microphone (a 440 Hz tone) made of @roamhq/wrtc's frame sources.
 */
export function syntheticMedia(options: SyntheticMediaOptions = {}): SyntheticMedia {
  const tracks: MediaStreamTrack[] = [];
  const timers: NodeJS.Timeout[] = [];
  if (options.video !== false) {
    const { width = 320, height = 180, fps = 15 } = options;
    const source = new wrtc.nonstandard.RTCVideoSource();
    const track = source.createTrack() as unknown as MediaStreamTrack;
    // wrtc's source tracks report 640×480 whatever they carry; the client sizes simulcast layers
    // from these settings, as a browser's camera track reports its real size.
    const settings = track.getSettings.bind(track);
    Object.defineProperty(track, 'getSettings', {
      value: () => ({ ...settings(), width, height, frameRate: fps }),
    });
    tracks.push(track);
    const data = new Uint8Array((width * height * 3) / 2);
    let n = 0;
    timers.push(
      setInterval(() => {
        n++;
        for (let i = 0; i < width * height; i += 7) data[i] = (i + n * 5) & 0xff;
        source.onFrame({ width, height, data });
      }, 1000 / fps),
    );
  }
  if (options.audio !== false) {
    const amplitude = options.audioLevel ?? 0.3;
    const source = new wrtc.nonstandard.RTCAudioSource();
    tracks.push(source.createTrack() as unknown as MediaStreamTrack);
    const sampleRate = 48_000;
    const samples = new Int16Array(480);
    let phase = 0;
    timers.push(
      setInterval(() => {
        for (let i = 0; i < samples.length; i++) {
          samples[i] = Math.round(Math.sin(phase) * amplitude * 32767);
          phase += (2 * Math.PI * 440) / sampleRate;
        }
        source.onData({ samples, sampleRate });
      }, 10),
    );
  }
  return {
    tracks,
    stop() {
      for (const t of timers) clearInterval(t);
      for (const t of tracks) t.stop();
    },
  };
}
