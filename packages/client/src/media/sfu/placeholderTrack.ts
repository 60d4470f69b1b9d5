/** A stand-in local track that sends nothing anyone hears or sees, and how to release it. */
export interface Placeholder {
  readonly track: MediaStreamTrack;
  stop(): void;
}

/**
 * A track of `kind` that holds a publish sender's place while the camera and microphone are still
 * opening, so an SFU session can answer the engine's first offer (and connect, and receive the
 * others) at once; the real track replaces it without a renegotiation.
 *
 * Why a track and not an empty sender: only a sender added with addTrack pairs with the engine's
 * `pa`/`pv` m-lines, and Chromium ran video frames through the E2EE transform only on such a sender
 * (SfuSession's constructor). The video one is a canvas captured at 0 fps (no frame unless drawn);
 * the audio one an AudioContext's silent destination. Undefined where this runtime has neither (Node:
 * load bots pass their tracks up front, so they never need one).
 */
export function placeholderTrack(kind: 'audio' | 'video'): Placeholder | undefined {
  try {
    if (kind === 'video') {
      if (typeof document === 'undefined') return undefined;
      const canvas = document.createElement('canvas');
      if (typeof canvas.captureStream !== 'function') return undefined;
      const track = canvas.captureStream(0).getVideoTracks()[0];
      return track ? { track, stop: () => track.stop() } : undefined;
    }
    if (typeof AudioContext === 'undefined') return undefined;
    const context = new AudioContext();
    const track = context.createMediaStreamDestination().stream.getAudioTracks()[0];
    const stop = () => {
      track?.stop();
      void context.close().catch(() => {});
    };
    if (track) return { track, stop };
    stop();
    return undefined;
  } catch {
    return undefined;
  }
}

type Kind = 'audio' | 'video';

/** The publish senders of an SFU session that hold placeholders until the local tracks are known. */
export class PlaceholderSenders {
  readonly #held = new Map<Kind, { sender: RTCRtpSender; placeholder: Placeholder }>();

  /**
   * Adds one sender per kind with a placeholder, `attach` sets its transform; undefined (nothing
   * added) where a kind has no placeholder in this runtime.
   */
  static add(
    pc: RTCPeerConnection,
    make: (kind: Kind) => Placeholder | undefined,
    attach: (sender: RTCRtpSender, kind: Kind) => void,
  ): PlaceholderSenders | undefined {
    const made = (['audio', 'video'] as const).map((kind) => [kind, make(kind)] as const);
    if (!made.every(([, p]) => p)) {
      for (const [, p] of made) p?.stop();
      return undefined;
    }
    const senders = new PlaceholderSenders();
    for (const [kind, placeholder] of made) {
      if (!placeholder) continue;
      const sender = pc.addTrack(placeholder.track);
      attach(sender, kind);
      senders.#held.set(kind, { sender, placeholder });
    }
    return senders;
  }

  /**
   * Each sender sends its real track from `tracks`, or nothing (its transceiver turns inactive,
   * which the next answer tells the engine). No renegotiation.
   */
  async swap(pc: RTCPeerConnection, tracks: readonly MediaStreamTrack[]): Promise<void> {
    for (const [kind, { sender, placeholder }] of this.#held) {
      this.#held.delete(kind);
      const track = tracks.find((t) => t.kind === kind) ?? null;
      await sender.replaceTrack(track).catch(() => {});
      placeholder.stop();
      const transceiver = pc.getTransceivers().find((t) => t.sender === sender);
      if (!track && transceiver) transceiver.direction = 'inactive';
    }
  }

  stop(): void {
    for (const { placeholder } of this.#held.values()) placeholder.stop();
    this.#held.clear();
  }
}
