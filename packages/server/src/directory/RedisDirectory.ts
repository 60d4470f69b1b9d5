import { matchesNodeOrigin } from '../config/cluster.js';
import { errorFields, type Logger } from '../log/logger.js';
import { preferredNode, roomHash } from './hashing.js';
import { RedirectTickets } from './RedirectTickets.js';
import type { DirectoryEvents, NodeAddress, Placement, RoomDirectory } from './RoomDirectory.js';
import { type ConclaveRedis, KEYS, redisUptimeSeconds } from './redis.js';

export interface RedisDirectoryOptions {
  redis: ConclaveRedis;
  self: NodeAddress;
  secret: string;
  /** An entry lives this long without its owner's heartbeat. */
  ttlMs: number;
  /** Origin patterns a redirect may point to (cluster.nodeOrigins); anything else in Redis is ignored. */
  nodeOrigins: readonly string[];
  /** Whether a meeting with this key runs here now. */
  hasRoom(roomKey: string): boolean;
  events: DirectoryEvents;
  log: Logger;
}

const HERE: Placement = { kind: 'here' };
const UNAVAILABLE: Placement = { kind: 'unavailable' };
/** A claim made for a join whose meeting never started here is given up after this long. */
const UNUSED_CLAIM_MS = 5_000;
/** Placement reads the node list again when it is older than this, so a dead node drops out soon. */
const NODE_LIST_MAX_AGE_MS = 1_000;

interface Held {
  readonly hash: string;
  readonly since: number;
}

/**
 * The shared directory in Redis. A meeting's entry (`conclave:room:<keyed hash>` → "<node id> <url>")
 * is claimed atomically, kept alive by this node's heartbeat every third of its TTL, and deleted
 * when the meeting ends; so a node that dies frees its meetings within one TTL. New meetings start
 * on the node rendezvous hashing picks among the live nodes (`conclave:nodes`), wherever the client
 * came in.
 *
 * While Redis is unreachable, meetings already here go on (their entries are in `#held`), but no
 * new meeting starts here: another node may own it. After Redis (re)starts, new meetings wait one
 * TTL, so that owners re-claim their meetings' entries before anyone can take them. A node joins
 * the node list only once it starts new meetings: the nodes' waits end up to a second apart (each
 * reckons from Redis's uptime, which Redis gives in whole seconds, and from when it reconnected),
 * and a node that has finished waiting must not send a new meeting to one that would refuse it.
 */
export class RedisDirectory implements RoomDirectory {
  readonly self: NodeAddress;
  readonly #redis: ConclaveRedis;
  readonly #tickets: RedirectTickets;
  readonly #held = new Map<string, Held>();
  readonly #queues = new Map<string, Promise<unknown>>();
  #nodes: NodeAddress[] = [];
  #nodesReadAt = 0;
  #ready = false;
  #graceUntil = 0;
  /** Registers this node as soon as its wait after a Redis (re)start ends. */
  #settleTimer: NodeJS.Timeout | undefined;
  #draining = false;
  #closed = false;
  readonly #timer: NodeJS.Timeout;

  constructor(private readonly options: RedisDirectoryOptions) {
    this.self = options.self;
    this.#redis = options.redis;
    this.#tickets = new RedirectTickets(options.secret, options.self.id);
    this.#redis.on('ready', () => void this.#onReady());
    this.#redis.on('close', () => this.#onDisconnected());
    // Errors are also reported as 'close'; without a listener ioredis would print them.
    this.#redis.on('error', () => {});
    this.#timer = setInterval(() => void this.#heartbeat(), Math.max(500, options.ttlMs / 3));
    this.#timer.unref();
  }

  /** Connects (retrying in the background); resolves at once, whether or not Redis answers yet. */
  start(): void {
    this.#redis.connect().catch(() => {});
  }

  /** This node's entry value, "<id> <url>" (the url is known once the server listens). */
  get #value(): string {
    return `${this.self.id} ${this.self.url}`;
  }

  get available(): boolean {
    return this.#ready;
  }

  get state(): 'ok' | 'unavailable' | 'settling' {
    if (!this.#ready) return 'unavailable';
    return Date.now() < this.#graceUntil ? 'settling' : 'ok';
  }

  /** The live nodes new meetings may start on, as last read from Redis. */
  get nodes(): readonly NodeAddress[] {
    return this.#nodes;
  }

  place(roomKey: string, redirected: boolean): Promise<Placement> {
    return this.#serially(roomKey, () => this.#place(roomKey, redirected));
  }

  redeem(roomKey: string, ticket: string): boolean {
    return this.#tickets.redeem(this.#hash(roomKey), ticket);
  }

  hold(roomKey: string): void {
    void this.#serially(roomKey, async () => {
      if (this.#held.has(roomKey) || !this.#ready) {
        // Not reachable now: the heartbeat after reconnecting claims it.
        if (!this.#held.has(roomKey))
          this.#held.set(roomKey, { hash: this.#hash(roomKey), since: Date.now() });
        return;
      }
      const hash = this.#hash(roomKey);
      this.#held.set(roomKey, { hash, since: Date.now() });
      await this.#claim(roomKey, hash).catch(() => {});
    });
  }

  release(roomKey: string): void {
    void this.#serially(roomKey, async () => {
      const held = this.#held.get(roomKey);
      if (!held || this.options.hasRoom(roomKey)) return;
      this.#held.delete(roomKey);
      // If Redis is away, the entry simply expires.
      if (this.#ready) await this.#redis.releaseRoom(KEYS.room(held.hash), this.#value).catch(() => {});
    });
  }

  drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    this.#nodes = this.#nodes.filter((n) => n.id !== this.self.id);
    if (this.#ready) this.#redis.zrem(KEYS.nodes, this.#value).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    clearTimeout(this.#settleTimer);
    if (this.#ready) {
      const pipeline = this.#redis.pipeline();
      pipeline.zrem(KEYS.nodes, this.#value);
      for (const { hash } of this.#held.values()) pipeline.releaseRoom(KEYS.room(hash), this.#value);
      await pipeline.exec().catch(() => {});
    }
    this.#held.clear();
    this.#redis.disconnect();
  }

  async #place(roomKey: string, redirected: boolean): Promise<Placement> {
    if (this.#held.has(roomKey)) return HERE;
    if (!this.#ready) return UNAVAILABLE;
    const hash = this.#hash(roomKey);
    try {
      // Until owners have had one TTL to re-claim after Redis came back, a free entry may belong
      // to a meeting that is running: then look, never claim a free entry.
      const settling = Date.now() < this.#graceUntil;
      if (!settling && !this.#draining) {
        const target = redirected ? this.self : await this.#preferred(hash);
        if (!target) return UNAVAILABLE;
        // The meeting runs or should start here: one round trip claims it or names its holder.
        if (target.id === this.self.id) return this.#claimed(roomKey, hash);
      }
      const owner = parseEntry(await this.#redis.get(KEYS.room(hash)));
      if (owner && owner.id !== this.self.id) return this.#elsewhere(owner, hash);
      if (!owner && settling) return UNAVAILABLE;
      // An entry this node left before a restart is still its own, unless it drains.
      if (owner && !this.#draining) return this.#claimed(roomKey, hash);
      const preferred = await this.#preferred(hash);
      if (!preferred) return UNAVAILABLE;
      if (preferred.id !== this.self.id) return this.#elsewhere(preferred, hash);
      return this.#claimed(roomKey, hash);
    } catch (err) {
      this.options.log.warn('directory.place_failed', errorFields(err));
      return UNAVAILABLE;
    }
  }

  async #claimed(roomKey: string, hash: string): Promise<Placement> {
    const winner = await this.#claim(roomKey, hash);
    return winner.id === this.self.id ? HERE : this.#elsewhere(winner, hash);
  }

  /** The node a new meeting with this hash starts on, from a node list at most a second old. */
  async #preferred(hash: string): Promise<NodeAddress | undefined> {
    if (Date.now() - this.#nodesReadAt > NODE_LIST_MAX_AGE_MS) {
      this.#setNodes(await this.#redis.liveNodes(KEYS.nodes));
    }
    return preferredNode(hash, this.#candidates());
  }

  /** Claims the entry for this node; returns whoever holds it afterwards. */
  async #claim(roomKey: string, hash: string): Promise<NodeAddress> {
    const after = parseEntry(
      await this.#redis.claimRoom(KEYS.room(hash), this.#value, this.options.ttlMs, `${this.self.id} `),
    );
    if (after?.id === this.self.id) {
      if (!this.#held.has(roomKey)) this.#held.set(roomKey, { hash, since: Date.now() });
      return this.self;
    }
    if (this.#held.delete(roomKey)) this.#conflict(roomKey);
    return after ?? this.self;
  }

  #elsewhere(node: NodeAddress, hash: string): Placement {
    // Redis is the operator's, but a redirect must never send people outside the operator's nodes.
    if (!matchesNodeOrigin(node.url, this.options.nodeOrigins)) {
      this.options.log.warn('directory.foreign_entry');
      return UNAVAILABLE;
    }
    return { kind: 'elsewhere', node, ticket: this.#tickets.issue(hash, node.id) };
  }

  /** Nodes a new meeting may start on: the live ones, this one only while not draining. */
  #candidates(): NodeAddress[] {
    const others = this.#nodes.filter((n) => n.id !== this.self.id);
    return this.#draining ? others : [...others, this.self];
  }

  async #onReady(): Promise<void> {
    try {
      const uptime = await redisUptimeSeconds(this.#redis);
      const waitMs = this.options.ttlMs + 1000 - uptime * 1000;
      // A Redis up for less than a TTL may have restarted and lost entries of running meetings.
      this.#graceUntil = waitMs > 0 ? Date.now() + waitMs : 0;
      this.#ready = true;
      this.options.log.info('directory.connected', { graceMs: Math.max(0, waitMs) });
      this.#registerWhenSettled();
      await this.#heartbeat();
    } catch (err) {
      this.options.log.warn('directory.ready_failed', errorFields(err));
    }
  }

  /** Offers this node for new meetings the moment it starts them, not up to a heartbeat later. */
  #registerWhenSettled(): void {
    clearTimeout(this.#settleTimer);
    const waitMs = this.#graceUntil - Date.now();
    if (waitMs <= 0 || this.#closed) return;
    // A timer may fire a millisecond before Date.now() says the wait is over: then it waits again.
    this.#settleTimer = setTimeout(() => {
      if (this.state === 'settling') this.#registerWhenSettled();
      else void this.#heartbeat();
    }, waitMs);
    this.#settleTimer.unref();
  }

  #onDisconnected(): void {
    if (!this.#ready) return;
    this.#ready = false;
    this.options.log.warn('directory.unreachable');
  }

  /** Refreshes (or re-claims) this node's entries and its registration, and reads the node list. */
  async #heartbeat(): Promise<void> {
    if (!this.#ready || this.#closed) return;
    const now = Date.now();
    const keys: [string, Held][] = [];
    for (const [roomKey, held] of this.#held) {
      if (!this.options.hasRoom(roomKey) && now - held.since > UNUSED_CLAIM_MS) this.release(roomKey);
      else keys.push([roomKey, held]);
    }
    const pipeline = this.#redis.pipeline();
    // Only a node that starts new meetings now is one the others may send new meetings to.
    const offered = !this.#draining && this.state === 'ok';
    if (offered) pipeline.registerNode(KEYS.nodes, this.#value, this.options.ttlMs);
    pipeline.liveNodes(KEYS.nodes);
    for (const [, { hash }] of keys) {
      pipeline.claimRoom(KEYS.room(hash), this.#value, this.options.ttlMs, `${this.self.id} `);
    }
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch {
      return;
    }
    if (!results) return;
    const offset = offered ? 1 : 0;
    const [, members] = results[offset] ?? [null, []];
    if (Array.isArray(members)) this.#setNodes(members);
    for (const [i, [roomKey, held]] of keys.entries()) {
      const [err, owner] = results[offset + 1 + i] ?? [null, null];
      if (err) continue;
      const holder = parseEntry(typeof owner === 'string' ? owner : null);
      if (holder?.id === this.self.id) {
        // Released while the heartbeat ran: do not leave the refreshed entry behind.
        if (this.#held.get(roomKey) !== held) this.release(roomKey);
        continue;
      }
      if (this.#held.get(roomKey) === held) {
        this.#held.delete(roomKey);
        this.#conflict(roomKey);
      }
    }
  }

  #setNodes(members: readonly unknown[]): void {
    this.#nodes = members.map((m) => parseEntry(String(m))).filter((n): n is NodeAddress => !!n);
    this.#nodesReadAt = Date.now();
  }

  #conflict(roomKey: string): void {
    this.options.log.warn('directory.entry_lost');
    if (this.options.hasRoom(roomKey)) this.options.events.lost(roomKey);
  }

  #hash(roomKey: string): string {
    return roomHash(this.options.secret, roomKey);
  }

  /** Runs `task` after every earlier task for the same room on this node (claims vs. releases). */
  #serially<T>(roomKey: string, task: () => Promise<T>): Promise<T> {
    const before = this.#queues.get(roomKey) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.catch(() => {});
    this.#queues.set(roomKey, tail);
    void tail.then(() => {
      if (this.#queues.get(roomKey) === tail) this.#queues.delete(roomKey);
    });
    return result;
  }
}

/** "<id> <url>" → the node, or undefined for anything else. */
function parseEntry(value: string | null): NodeAddress | undefined {
  if (!value) return undefined;
  const space = value.indexOf(' ');
  if (space <= 0) return undefined;
  return { id: value.slice(0, space), url: value.slice(space + 1) };
}
