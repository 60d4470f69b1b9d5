/** How often the meter moves: smooth to the eye, cheap for the CPU. */
const INTERVAL_MS = 100;

/**
 * The live loudness of a microphone track, 0..1, for a level meter: the user sees that the chosen
 * microphone hears them before anyone else has to tell them. Audio is analysed in this page only
 * and never leaves it.
 */
export class MicLevel {
  readonly #onLevel: (level: number) => void;
  #context: AudioContext | undefined;
  #source: MediaStreamAudioSourceNode | undefined;
  #analyser: AnalyserNode | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #samples = new Float32Array(1024);
  readonly #resume = () => void this.#context?.resume();

  constructor(onLevel: (level: number) => void) {
    this.#onLevel = onLevel;
  }

  /** Measures `track` from now on (undefined: silence). */
  follow(track: MediaStreamTrack | undefined): void {
    this.#source?.disconnect();
    this.#source = undefined;
    if (!track || typeof AudioContext === 'undefined') {
      this.#onLevel(0);
      return;
    }
    if (!this.#context) {
      this.#context = new AudioContext();
      this.#analyser = this.#context.createAnalyser();
      this.#analyser.fftSize = this.#samples.length;
      // Without a user gesture yet the context may start suspended; the first click wakes it.
      document.addEventListener('pointerdown', this.#resume, { once: true });
      this.#timer = setInterval(() => this.#measure(), INTERVAL_MS);
    }
    this.#source = this.#context.createMediaStreamSource(new MediaStream([track]));
    if (this.#analyser) this.#source.connect(this.#analyser);
  }

  dispose(): void {
    clearInterval(this.#timer);
    document.removeEventListener('pointerdown', this.#resume);
    this.#source?.disconnect();
    void this.#context?.close();
    this.#context = undefined;
  }

  #measure(): void {
    if (!this.#analyser || !this.#source) return this.#onLevel(0);
    this.#analyser.getFloatTimeDomainData(this.#samples);
    let sum = 0;
    for (const sample of this.#samples) sum += sample * sample;
    const rms = Math.sqrt(sum / this.#samples.length);
    // Speech sits around -40..-10 dBFS; map that span onto the meter.
    const db = 20 * Math.log10(Math.max(rms, 1e-5));
    this.#onLevel(Math.min(1, Math.max(0, (db + 60) / 50)));
  }
}
