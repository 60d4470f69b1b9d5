import type { AddressLimiter } from '../util/AddressLimiter.js';
import type { KeyedRateLimiter } from '../util/rateLimit.js';
import { addressHash } from './hashing.js';
import { type ConclaveRedis, KEYS } from './redis.js';

/**
 * A per-address token bucket shared by every node through Redis, under a keyed hash of the address
 * (never the address itself) and with a TTL of the time the bucket takes to refill. While Redis is
 * unreachable each node falls back to its own bucket: still limited, only per node.
 */
export class RedisAddressLimiter implements AddressLimiter {
  constructor(
    private readonly redis: ConclaveRedis,
    private readonly secret: string,
    /** Which limit (e.g. "join"), part of the key. */
    private readonly kind: string,
    private readonly bucket: { capacity: number; perSecond: number },
    private readonly fallback: KeyedRateLimiter,
  ) {}

  async take(address: string): Promise<boolean> {
    if (this.redis.status !== 'ready') return this.fallback.take(address);
    const key = KEYS.rateLimit(this.kind, addressHash(this.secret, address));
    try {
      return (await this.redis.takeToken(key, this.bucket.capacity, this.bucket.perSecond, 1)) === 1;
    } catch {
      return this.fallback.take(address);
    }
  }

  sweep(): void {
    this.fallback.sweep();
  }
}
