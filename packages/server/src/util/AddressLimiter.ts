import type { KeyedRateLimiter } from './rateLimit.js';

/**
 * A per-client-address limit (joins, password attempts; PRIVACY P2, P4). One process keeps the
 * buckets in memory; nodes of a cluster share them through Redis, so that coming in through
 * another node does not buy more attempts. The address is never logged (P7).
 */
export interface AddressLimiter {
  /** Takes one attempt from `address`'s allowance; false when it has none left. */
  take(address: string): Promise<boolean>;
  /** Forgets idle local state; call periodically. */
  sweep(): void;
}

export function localAddressLimiter(limiter: KeyedRateLimiter): AddressLimiter {
  return {
    take: (address) => Promise.resolve(limiter.take(address)),
    sweep: () => limiter.sweep(),
  };
}
