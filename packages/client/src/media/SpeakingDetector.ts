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
