/*
 * The knock sound: two short sine tones synthesised with WebAudio on this device. There is no
 * audio file to fetch (P8) and nothing for the CSP to allow.
 */

let context: AudioContext | undefined;

/** Plays the knock chime; silently does nothing where audio is unavailable or blocked. */
export function chime(): void {
  try {
    // One context for the page: browsers cap how many may exist, and knocks can come in bursts.
    context ??= new AudioContext();
    const ctx = context;
    // A context created without a user gesture starts suspended; a moderator has usually clicked
    // something in the meeting by now, which lets resume() succeed.
    if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
    const start = ctx.currentTime + 0.01;
    for (const [i, frequency] of [659.25, 880].entries()) {
      const at = start + i * 0.16;
      const oscillator = ctx.createOscillator();
      const gain = ctx.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      // A fast attack and an exponential decay: a soft "ding" rather than a click.
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.18, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.4);
      oscillator.connect(gain).connect(ctx.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.45);
    }
  } catch {
    // No audio output (or no WebAudio): the visible notice still says that someone knocks.
  }
}

/** Releases the audio context when the meeting ends. */
export function closeChime(): void {
  void context?.close().catch(() => {});
  context = undefined;
}
