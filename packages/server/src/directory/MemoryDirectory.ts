import type { NodeAddress, Placement, RoomDirectory } from './RoomDirectory.js';

const HERE: Placement = { kind: 'here' };
const UNAVAILABLE: Placement = { kind: 'unavailable' };

/** One process: every meeting is here, and nothing leaves memory. */
export class MemoryDirectory implements RoomDirectory {
  readonly available = true;
  readonly state = 'ok';
  #draining = false;

  constructor(
    readonly self: NodeAddress,
    private readonly hasRoom: (roomKey: string) => boolean,
  ) {}

  place(roomKey: string): Promise<Placement> {
    // A draining single process has nowhere to send a new meeting.
    return Promise.resolve(this.#draining && !this.hasRoom(roomKey) ? UNAVAILABLE : HERE);
  }

  start(): void {}

  redeem(): boolean {
    return false;
  }

  hold(): void {}

  release(): void {}

  drain(): void {
    this.#draining = true;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
