/** A layer that brought nothing for this long is gone: the publisher stopped sending it (bandwidth, CPU). */
export const LAYER_GONE_MS = 1000;

/**
 * Which simulcast layer of one participant's video the recording follows: the highest one the
 * publisher is sending. It moves to another layer only at the first packet of that layer's
 * keyframe, so the file never holds a frame that refers to a picture of another layer; until then
 * the current layer goes on being recorded. Without simulcast there is one layer, which it passes.
 */
export class RecordedLayer {
  #current = -1;
  /** When each layer last brought a packet (ms). */
  readonly #lastSeen: number[] = [];

  /** `wantKeyframe(layer)`: a better layer is there, and the recording needs its keyframe to move to it. */
  constructor(private readonly wantKeyframe: (layer: number) => void) {}

  /** The layer recorded now (-1 before the first keyframe). */
  get current(): number {
    return this.#current;
  }

  /** Whether to record this packet of `layer`; `keyframe` = it starts a keyframe. */
  accept(layer: number, keyframe: boolean, now: number): boolean {
    this.#lastSeen[layer] = now;
    if (layer === this.#current) return true;
    if (layer !== this.#best(now)) return false;
    if (keyframe) {
      this.#current = layer;
      return true;
    }
    this.wantKeyframe(layer);
    return false;
  }

  /** The highest layer that is still being sent. */
  #best(now: number): number {
    for (let layer = this.#lastSeen.length - 1; layer >= 0; layer--) {
      const seen = this.#lastSeen[layer];
      if (seen !== undefined && now - seen < LAYER_GONE_MS) return layer;
    }
    return -1;
  }
}
