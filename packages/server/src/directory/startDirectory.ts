import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { type AddressLimiter, localAddressLimiter } from '../util/AddressLimiter.js';
import { KeyedRateLimiter } from '../util/rateLimit.js';
import { MemoryDirectory } from './MemoryDirectory.js';
import { RedisAddressLimiter } from './RedisAddressLimiter.js';
import { RedisDirectory } from './RedisDirectory.js';
import type { DirectoryEvents, NodeAddress, RoomDirectory } from './RoomDirectory.js';
import { connectRedis } from './redis.js';

export interface DirectoryParts {
  directory: RoomDirectory;
  joinLimiter: AddressLimiter;
  passwordLimiter: AddressLimiter;
}

/**
 * The directory and the per-address limits: in memory for one process, in Redis (shared by the
 * nodes) when `cluster.redisUrl` is set. Nothing connects to anything without it.
 */
export function startDirectory(
  config: Config,
  self: NodeAddress,
  nodeOrigins: readonly string[],
  deps: { hasRoom(roomKey: string): boolean; events: DirectoryEvents; log: Logger },
): DirectoryParts {
  const join = { capacity: config.limits.joinBurst, perSecond: config.limits.joinsPerMinute / 60 };
  const password = {
    capacity: config.limits.passwordBurst,
    perSecond: config.limits.passwordAttemptsPerMinute / 60,
  };
  if (!config.cluster.redisUrl) {
    return {
      directory: new MemoryDirectory(self, deps.hasRoom),
      joinLimiter: localAddressLimiter(new KeyedRateLimiter(join)),
      passwordLimiter: localAddressLimiter(new KeyedRateLimiter(password)),
    };
  }
  const redis = connectRedis(config.cluster.redisUrl);
  const { secret } = config.cluster;
  const directory = new RedisDirectory({
    redis,
    self,
    secret,
    ttlMs: config.cluster.entryTtlSeconds * 1000,
    nodeOrigins,
    hasRoom: deps.hasRoom,
    events: deps.events,
    log: deps.log,
  });
  return {
    directory,
    joinLimiter: new RedisAddressLimiter(redis, secret, 'join', join, new KeyedRateLimiter(join)),
    passwordLimiter: new RedisAddressLimiter(
      redis,
      secret,
      'password',
      password,
      new KeyedRateLimiter(password),
    ),
  };
}
