import { createHmac, timingSafeEqual } from 'node:crypto';

/** Tickets come only from nodes, for rate-limited joins; the bound is a backstop. */
const MAX_REMEMBERED = 100_000;

/**
 * Tickets that go with a redirect: proof, signed with the cluster secret, that a node sent this
 * client to `target` for the room with `hash`, valid for a short while and once. The target then
 * neither charges the join limiter a second time (the entry node did) nor sends the client on
 * again (so two nodes with slightly different node lists cannot bounce it back and forth).
 */
export class RedirectTickets {
  readonly #used = new Map<string, number>();

  constructor(
    private readonly secret: string,
    private readonly selfId: string,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(hash: string, targetId: string): string {
    const expires = this.now() + this.ttlMs;
    return `${expires.toString(36)}.${this.#mac(hash, targetId, expires)}`;
  }

  /** True once for a valid ticket to this node; false if forged, expired, for another room or reused. */
  redeem(hash: string, ticket: string): boolean {
    const m = /^([0-9a-z]{1,11})\.([A-Za-z0-9_-]{22})$/.exec(ticket);
    if (!m) return false;
    const expires = Number.parseInt(m[1] ?? '', 36);
    const now = this.now();
    if (!(expires > now) || expires > now + this.ttlMs) return false;
    const want = Buffer.from(this.#mac(hash, this.selfId, expires));
    const got = Buffer.from(m[2] ?? '');
    if (want.length !== got.length || !timingSafeEqual(want, got)) return false;
    this.#sweep(now);
    if (this.#used.has(ticket)) return false;
    this.#used.set(ticket, expires);
    return true;
  }

  #mac(hash: string, targetId: string, expires: number): string {
    return createHmac('sha256', this.secret)
      .update(`ticket\0${hash}\0${targetId}\0${expires}`)
      .digest('base64url')
      .slice(0, 22);
  }

  #sweep(now: number): void {
    // Insertion order is close to expiry order, so the expired ones are at the front.
    for (const [ticket, expires] of this.#used) {
      if (expires > now && this.#used.size < MAX_REMEMBERED) break;
      this.#used.delete(ticket);
    }
  }
}
