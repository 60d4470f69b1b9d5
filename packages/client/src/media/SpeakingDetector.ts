/**
 * Turns a stream of audio levels (0..1, as in WebRTC's `media-source.audioLevel`) into speaking /
 * not-speaking transitions, with hysteresis so that a breath or a click does not flip the state.
 */
export class SpeakingDetector {
  #speaking = false;
  #above = 0;
  #below = 0;

  constructor(private readonly options = { threshold: 0.05, samplesToStart: 2, samplesToStop: 4 }) {}

  get speaking(): boolean {
    return this.#speaking;
  }

  /** Feeds one level; returns the new state when it changed, undefined otherwise. */
  push(level: number): boolean | undefined {
    if (level >= this.options.threshold) {
      this.#above++;
      this.#below = 0;
    } else {
      this.#below++;
      this.#above = 0;
    }
    const next = this.#speaking
      ? this.#below < this.options.samplesToStop
      : this.#above >= this.options.samplesToStart;
    if (next === this.#speaking) return undefined;
    this.#speaking = next;
    return next;
  }
}

/** The local microphone's level from a PeerConnection stats report, if it has one. */
export function localAudioLevel(report: RTCStatsReport): number | undefined {
  let level: number | undefined;
  report.forEach((s: { type?: string; kind?: string; audioLevel?: number }) => {
    if (s.type === 'media-source' && s.kind === 'audio' && typeof s.audioLevel === 'number')
      level = s.audioLevel;
  });
  return level;
}

/** Where a SpeakingReporter reads levels and sends its transitions. */
export interface SpeakingSource {
  /** Stats of the current media path, if any. */
  stats(): Promise<RTCStatsReport | undefined>;
  /** The microphone is muted: counts as silence. */
  muted(): boolean;
  /** Tells the server; returns false when the server can no longer be told. */
  report(speaking: boolean): boolean;
}

/**
 * In P2P mode no server sees the audio, so this client reports when its own microphone starts
 * and stops carrying speech; the server turns that into speaker stats. In SFU mode the media
 * engine measures audio levels itself, and this reporter is off.
 */
export class SpeakingReporter {
  readonly #detector = new SpeakingDetector();
  readonly #source: SpeakingSource;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(source: SpeakingSource) {
    this.#source = source;
  }

  /** On: sample the level every 250 ms. Off: stop, and end a speaking spell in progress. */
  set(on: boolean): void {
    if (!on) {
      this.stop();
      if (this.#detector.speaking && this.#source.report(false)) this.#detector.push(0);
      return;
    }
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(async () => {
      const report = await this.#source.stats().catch(() => undefined);
      const level = report && !this.#source.muted() ? (localAudioLevel(report) ?? 0) : 0;
      const change = this.#detector.push(level);
      if (change !== undefined) this.#source.report(change);
    }, 250);
  }

  /** Stops sampling without reporting anything (leaving the meeting). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
