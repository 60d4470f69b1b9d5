import {
  CLIENT_MESSAGE_TYPES,
  CLOSE_CODES,
  ClientMessage,
  type ClientMessageOf,
  ERROR_CODES,
  type ErrorCode,
  type IceServer,
  negotiateVersion,
  type ServerMessage,
} from '@conclave/protocol';
import { ConclaveError } from '../errors.js';
import type { Metrics } from '../http/metrics.js';
import { errorFields, type Logger, literal } from '../log/logger.js';
import type { Participant } from '../rooms/Participant.js';
import type { Room } from '../rooms/Room.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import { StrikeCounter, TokenBucket } from '../util/rateLimit.js';
import { type DoorDeps, passDoor } from './door.js';
import { dispatchInRoom } from './roomDispatch.js';

/** What a Connection needs from its WebSocket; kept minimal so tests and transports can differ. */

/** Refusals a well-behaved client causes by timing alone (see #handle). */
const RACES: ReadonlySet<ErrorCode> = new Set(['WRONG_MEDIA_MODE', 'UNKNOWN_PARTICIPANT']);
export interface Transport {
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** `directory`: where each meeting runs (here, or on another node the client is redirected to). */
export interface ConnectionDeps extends DoorDeps {
  rooms: RoomRegistry;
  metrics: Metrics;
  log: Logger;
  limits: {
    maxMessageBytes: number;
    messagesPerSecond: number;
    messageBurst: number;
    abuseThreshold: number;
  };
  iceServers: () => IceServer[];
  /** A socket that has not said `hello` this long after opening is closed (CLOSE_CODES.HELLO_TIMEOUT). */
  helloTimeoutMs: number;
  /** The heartbeat interval (signaling.heartbeatSeconds): the first goes out with `welcome`. */
  heartbeatMs?: number;
}

type State = 'greeting' | 'ready' | 'joining' | 'waiting' | 'joined' | 'closed';

/** Messages held while a join is looked up in the directory; the message bucket bounds them too. */
const MAX_HELD_MESSAGES = 64;

/**
 * One signalling connection: validates every incoming frame once, here, and dispatches it.
 * Nothing a client sends can throw past `receive`; every mistake becomes a wire error with a
 * stable code, and repeated mistakes close only this connection.
 */
export class Connection {
  #state: State = 'greeting';
  #version = 0;
  #room: Room | undefined;
  #roomKey: string | undefined;
  /** Messages that arrived while the join was being placed, handled in order once it is. */
  #held: ClientMessage[] = [];
  #participant: Participant | undefined;
  /** While waiting in a lobby: takes this connection's knock back. */
  #withdraw: (() => void) | undefined;
  readonly #bucket: TokenBucket;
  readonly #strikes: StrikeCounter;
  #lastRateLimitNotice = -Infinity;
  #helloTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly transport: Transport,
    /** The client's address as a rate-limit key (an IPv6 one by its prefix); never logged (PRIVACY P7). */
    private readonly clientAddress: string,
    private readonly deps: ConnectionDeps,
  ) {
    this.#bucket = new TokenBucket(deps.limits.messageBurst, deps.limits.messagesPerSecond);
    this.#strikes = new StrikeCounter(deps.limits.abuseThreshold, 60_000);
    // A socket that never greets holds memory for nothing (issue 17, finding 1).
    this.#helloTimer = setTimeout(() => {
      if (this.#state !== 'greeting') return;
      this.closed();
      this.transport.close(CLOSE_CODES.HELLO_TIMEOUT, 'no hello');
    }, deps.helloTimeoutMs);
    this.#helloTimer.unref();
  }

  receive(data: Buffer | string, isBinary: boolean): void {
    if (this.#state === 'closed') return;
    if (!this.#bucket.take()) {
      // One notice per second at most, so a flood does not turn into a flood of replies.
      const now = performance.now();
      if (now - this.#lastRateLimitNotice > 1000) {
        this.#lastRateLimitNotice = now;
        this.#sendError('RATE_LIMITED');
      }
      this.#strike();
      return;
    }
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (size > this.deps.limits.maxMessageBytes) {
      return this.#reject(
        'FRAME_TOO_LARGE',
        `Frames are limited to ${this.deps.limits.maxMessageBytes} bytes.`,
      );
    }
    if (isBinary) return this.#reject('BAD_FRAME', 'Frames must be UTF-8 JSON text.');
    let json: unknown;
    try {
      json = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
    } catch {
      return this.#reject('BAD_FRAME', 'The frame is not valid JSON.');
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) {
      const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
      if (typeof type !== 'string' || !CLIENT_MESSAGE_TYPES.includes(type)) {
        return this.#reject('UNKNOWN_TYPE', undefined, undefined);
      }
      // Name the fields at fault, never their values.
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(message)').join(', ');
      return this.#reject('BAD_FRAME', `Invalid "${type}" message: check ${fields}.`, type);
    }
    if (this.#state === 'joining') {
      if (this.#held.length >= MAX_HELD_MESSAGES) return this.#reject('RATE_LIMITED');
      this.#held.push(parsed.data);
      return;
    }
    this.#handle(parsed.data);
  }

  /** The room key of the meeting this connection is in (or waits for), if any. */
  get roomKey(): string | undefined {
    return this.#state === 'joined' || this.#state === 'waiting' ? this.#roomKey : undefined;
  }

  /** The socket went away; idempotent. */
  closed(): void {
    clearTimeout(this.#helloTimer);
    if (this.#state === 'closed') return;
    const was = this.#state;
    this.#state = 'closed';
    this.#held = [];
    if (was === 'joined') this.#leaveRoom('disconnected');
    if (was === 'waiting') this.#withdrawKnock();
  }

  /**
   * The meeting moves off this node (draining, or the directory gave it to another node): leave it
   * and close with MOVED, so that the client joins again through its entry and lands on the owner.
   */
  move(): void {
    if (this.#state === 'closed') return;
    this.closed();
    this.transport.close(CLOSE_CODES.MOVED, 'moved');
  }

  #handle(message: ClientMessage): void {
    try {
      this.#dispatch(message);
    } catch (err) {
      if (err instanceof ConclaveError) {
        // Negotiation already in flight when the media mode changed (or its peer left) is a race
        // every client runs into, not abuse: answered, but no strike (the rate limit still bounds it).
        if (RACES.has(err.code)) return this.#sendError(err.code, err.message, message.type);
        return this.#reject(err.code, err.message, message.type);
      }
      this.deps.log.error('signaling.dispatch_failed', errorFields(err));
      this.#sendError('INTERNAL', undefined, message.type);
    }
  }

  #dispatch(message: ClientMessage): void {
    if (message.type === 'hello') return this.#hello(message);
    if (this.#state === 'greeting') throw new ConclaveError('HANDSHAKE_REQUIRED');
    switch (message.type) {
      case 'join':
        return this.#join(message);
      case 'leave':
        if (this.#state === 'waiting') this.#withdrawKnock();
        else {
          this.#requireJoined();
          this.#leaveRoom('left');
        }
        this.#state = 'ready';
        return this.#send({ type: 'left' });
      default: {
        const { room, participant } = this.#requireJoined();
        return dispatchInRoom(room, participant, message);
      }
    }
  }

  #hello(message: ClientMessageOf<'hello'>): void {
    if (this.#state !== 'greeting') throw new ConclaveError('ALREADY_GREETED');
    const version = negotiateVersion(message.versions);
    if (version === undefined) {
      this.#sendError('UNSUPPORTED_VERSION', undefined, 'hello');
      this.#state = 'closed';
      this.transport.close(CLOSE_CODES.UNSUPPORTED_VERSION, 'unsupported version');
      return;
    }
    clearTimeout(this.#helloTimer);
    this.#state = 'ready';
    this.#version = version;
    this.#send({ type: 'welcome', version });
    if (this.deps.heartbeatMs) this.heartbeat(this.deps.heartbeatMs);
  }

  /** Tells a greeted client that this server is alive and how often it says so. */
  heartbeat(everyMs: number): void {
    if (this.#version > 0 && this.#state !== 'closed') this.#send({ type: 'heartbeat', everyMs });
  }

  #join(message: ClientMessageOf<'join'>): void {
    if (this.#state === 'joined' || this.#state === 'waiting') throw new ConclaveError('ALREADY_JOINED');
    this.#state = 'joining';
    this.#placeAndJoin(message)
      .catch((err: unknown) => {
        if (this.#state !== 'joining') return;
        this.#state = 'ready';
        if (err instanceof ConclaveError) {
          this.deps.metrics.rejectedJoins.inc({ reason: err.code });
          return this.#reject(err.code, err.message, 'join');
        }
        this.deps.log.error('signaling.join_failed', errorFields(err));
        this.#sendError('INTERNAL', undefined, 'join');
      })
      .finally(() => {
        const held = this.#held;
        this.#held = [];
        for (const m of held) if (this.#state !== 'closed') this.#handle(m);
      });
  }

  async #placeAndJoin(message: ClientMessageOf<'join'>): Promise<void> {
    const outcome = await passDoor(this.deps, this.clientAddress, this.#version, message);
    if (this.#state !== 'joining') return; // the socket closed meanwhile
    if (outcome.kind === 'enter') return this.#enterRoom(outcome.roomKey, message);
    this.#state = 'ready';
    this.deps.metrics.redirects.inc();
    this.#send({ type: 'redirect', url: outcome.url, ticket: outcome.ticket });
  }

  #enterRoom(roomKey: string, message: ClientMessageOf<'join'>): void {
    this.#roomKey = roomKey;
    const { room, entry } = this.deps.rooms.join(
      roomKey,
      {
        profile: { displayName: message.displayName, email: message.email },
        sink: (m) => this.#send(m),
        iceServers: this.deps.iceServers(),
        password: message.password,
        e2eeSupported: message.e2eeSupported,
        media: message.media,
        onRemoved: () => this.#removed(),
      },
      {
        admitted: (participant) => this.#entered(room, participant),
        refused: (reason) => {
          if (this.#state !== 'waiting') return;
          this.#withdraw = undefined;
          this.#state = 'ready';
          this.#sendError(reason === 'denied' ? 'LOBBY_DENIED' : 'MEETING_ENDED', undefined, 'join');
        },
      },
    );
    if (entry.kind === 'joined') return this.#entered(room, entry.participant);
    this.#state = 'waiting';
    this.#withdraw = entry.withdraw;
    this.#send({ type: 'lobbyWaiting' });
  }

  #entered(room: Room, participant: Participant): void {
    if (this.#state === 'closed') {
      room.remove(participant, 'disconnected');
      return;
    }
    this.#withdraw = undefined;
    this.#room = room;
    this.#participant = participant;
    this.#state = 'joined';
    this.deps.metrics.joins.inc();
  }

  /** A moderator removed this participant; the connection may join again. */
  #removed(): void {
    this.#room = undefined;
    this.#participant = undefined;
    if (this.#state === 'joined') this.#state = 'ready';
  }

  #withdrawKnock(): void {
    const withdraw = this.#withdraw;
    this.#withdraw = undefined;
    withdraw?.();
  }

  #requireJoined(): { room: Room; participant: Participant } {
    if (this.#state !== 'joined' || !this.#room || !this.#participant) throw new ConclaveError('NOT_JOINED');
    return { room: this.#room, participant: this.#participant };
  }

  #leaveRoom(reason: 'left' | 'disconnected'): void {
    const room = this.#room;
    const participant = this.#participant;
    this.#room = undefined;
    this.#participant = undefined;
    if (room && participant) room.remove(participant, reason);
  }

  #reject(code: ErrorCode, detail?: string, inReplyTo?: string): void {
    this.#sendError(code, detail, inReplyTo);
    this.#strike();
  }

  #strike(): void {
    if (this.#state === 'closed' || !this.#strikes.strike()) return;
    this.deps.log.warn('signaling.abuse_closed', { code: literal('ABUSE') });
    this.#sendError('ABUSE');
    this.closed();
    this.transport.close(CLOSE_CODES.ABUSE, 'abuse');
  }

  #sendError(code: ErrorCode, detail?: string, inReplyTo?: string): void {
    this.#send({
      type: 'error',
      code,
      message: detail ?? ERROR_CODES[code].message,
      ...(inReplyTo ? { inReplyTo } : {}),
    });
  }

  #send(message: ServerMessage): void {
    if (this.#state === 'closed' && message.type !== 'error') return;
    this.transport.send(JSON.stringify(message));
  }
}
