import type { Logger, Redactor } from '../log/logger.js';
import type { RecordingPort } from '../recording/RecordingPort.js';
import type { MediaEngine } from '../sfu/MediaEngine.js';
import type { Admission, Entry, LobbyCallbacks } from './Admission.js';
import type { ChatOptions } from './Chat.js';
import type { MediaPolicy } from './mediaMode.js';
import { Room } from './Room.js';

export interface RoomRegistryOptions {
  maxParticipants: number;
  policy: MediaPolicy;
  log: Logger;
  redactor: Redactor;
  lobbyByDefault: boolean;
  chat: ChatOptions;
  /** The SFU behind its interface; absent when this server has none. */
  media?: MediaEngine | undefined;
  backToP2PDelayMs?: number | undefined;
  recording?: RecordingPort | undefined;
  /** Told when a meeting starts and ends here (the cluster directory holds its entry meanwhile). */
  lifecycle?: { opened(roomKey: string): void; closed(roomKey: string): void } | undefined;
}

/**
 * The in-memory set of live meetings, keyed by normalised room name. There is deliberately no
 * way to create, reserve or list rooms (PRIVACY P2): a room comes into being only through `join`
 * and disappears when its last participant leaves (P1).
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Room>();
  #closed = false;

  constructor(private readonly options: RoomRegistryOptions) {}

  join(roomKey: string, admission: Admission, lobby: LobbyCallbacks): { room: Room; entry: Entry } {
    let room = this.#rooms.get(roomKey);
    const created = !room;
    if (!room) {
      room = new Room({
        maxParticipants: this.options.maxParticipants,
        policy: this.options.policy,
        log: this.options.log.child({ room: this.options.redactor.tag(roomKey) }),
        lobbyByDefault: this.options.lobbyByDefault,
        chat: this.options.chat,
        media: this.options.media,
        backToP2PDelayMs: this.options.backToP2PDelayMs,
        recording: this.options.recording,
        onClosed: (closed) => {
          if (this.#rooms.get(roomKey) !== closed) return;
          this.#rooms.delete(roomKey);
          this.options.lifecycle?.closed(roomKey);
        },
      });
      this.#rooms.set(roomKey, room);
      this.options.lifecycle?.opened(roomKey);
    }
    try {
      const entry = room.enter(admission, lobby);
      if (created) this.options.log.info('room.created', { room: this.options.redactor.tag(roomKey) });
      return { room, entry };
    } catch (err) {
      // A room whose first join failed must not linger as an empty, reserved name.
      if (room.size === 0) room.close();
      throw err;
    }
  }

  /** Whether a meeting runs here under this key (for the directory; never exposed, PRIVACY P2). */
  has(roomKey: string): boolean {
    return this.#rooms.has(roomKey);
  }

  /** Live rooms, for tests and the composition root; never exposed over the network (PRIVACY P2). */
  rooms(): IterableIterator<Room> {
    return this.#rooms.values();
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  get participantCount(): number {
    let n = 0;
    for (const room of this.#rooms.values()) n += room.size;
    return n;
  }

  /** Idempotent; closes every room (server shutdown). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const room of [...this.#rooms.values()]) room.close();
  }
}
