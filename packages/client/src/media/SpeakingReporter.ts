import { localAudioLevel, SpeakingDetector } from './SpeakingDetector.js';

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
