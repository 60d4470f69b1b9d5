import type { MediaPath, RemoteTrack } from './MediaPath.js';

export interface RemoteTracksEvents {
  added(remote: RemoteTrack): void;
  removed(remote: RemoteTrack): void;
}

/**
 * The other participants' tracks this client has, and the media path each came on: during a
 * handover one participant has tracks on both paths, and the old path's go when it is released.
 * A track that ends goes by itself.
 */
export class RemoteTracks {
  readonly #byParticipant = new Map<string, RemoteTrack[]>();
  readonly #paths = new WeakMap<RemoteTrack, MediaPath>();

  constructor(private readonly events: RemoteTracksEvents) {}

  all(): RemoteTrack[] {
    return [...this.#byParticipant.values()].flat();
  }

  add(path: MediaPath, remote: RemoteTrack): void {
    const list = this.#byParticipant.get(remote.participantId) ?? [];
    list.push(remote);
    this.#byParticipant.set(remote.participantId, list);
    this.#paths.set(remote, path);
    remote.track.addEventListener('ended', () => this.drop(remote));
    this.events.added(remote);
  }

  drop(remote: RemoteTrack): void {
    const list = this.#byParticipant.get(remote.participantId);
    if (!list?.includes(remote)) return;
    this.#byParticipant.set(
      remote.participantId,
      list.filter((r) => r !== remote),
    );
    this.events.removed(remote);
  }

  /** Every track that came on `path`. */
  dropPath(path: MediaPath): void {
    for (const remote of this.all()) if (this.#paths.get(remote) === path) this.drop(remote);
  }

  /** A participant's screen tracks (they stopped presenting; the renegotiation ends them too). */
  dropScreen(participantId: string): void {
    for (const remote of this.#byParticipant.get(participantId) ?? [])
      if (remote.source === 'screen') this.drop(remote);
  }

  /** Every track of a participant who left. */
  dropParticipant(participantId: string): void {
    for (const remote of this.#byParticipant.get(participantId) ?? []) this.events.removed(remote);
    this.#byParticipant.delete(participantId);
  }

  clear(): void {
    for (const id of [...this.#byParticipant.keys()]) this.dropParticipant(id);
  }
}
