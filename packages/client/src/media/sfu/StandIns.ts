/**
 * Silent audio tracks that hold senders before the engine's first offer and are never sent (their
 * m-lines are answered inactive). A sender added then pairs with the offer's next m-line of its
 * kind, and Chromium runs an encoded transform only on a sender that existed before negotiation:
 * so a screen's audio shared later still goes through a working transform (SfuSession).
 */
export class StandIns {
  readonly #tracks = new Set<MediaStreamTrack>();
  #context: AudioContext | undefined;

  /**
   * A silent track: a disabled clone of `microphone`, or without one Web Audio's silence (no
   * device is opened). Undefined where neither exists (no Web Audio).
   */
  silence(microphone?: MediaStreamTrack): MediaStreamTrack | undefined {
    let track = microphone?.clone();
    if (!track && typeof AudioContext !== 'undefined') {
      this.#context ??= new AudioContext();
      track = this.#context.createMediaStreamDestination().stream.getAudioTracks()[0];
    }
    if (!track) return undefined;
    track.enabled = false;
    this.#tracks.add(track);
    return track;
  }

  has(track: MediaStreamTrack | null): boolean {
    return track !== null && this.#tracks.has(track);
  }

  /** Their senders are paired: the tracks (and Web Audio) are no longer needed. */
  stop(): void {
    for (const track of this.#tracks) track.stop();
    this.#tracks.clear();
    void this.#context?.close().catch(() => {});
    this.#context = undefined;
  }
}
