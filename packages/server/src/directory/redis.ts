import { Redis, type Result } from 'ioredis';

/*
 * The one Redis connection of a node, with the scripts the directory and the shared rate limits
 * run. Each script is atomic in Redis, so two nodes can never both win a claim. Commands fail at
 * once while Redis is unreachable (no offline queue): the callers then answer "unavailable" or
 * fall back to local state, instead of making a join wait for a reconnection.
 */

/** Sets the room's entry to `value` if it is free or already this node's (`ARGV[3]`, "<id> "); returns the owner. */
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if (not v) or v == ARGV[1] or string.sub(v, 1, #ARGV[3]) == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
return v`;

/** Deletes the entry only if it is still this node's. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The node registry: a sorted set of "<id> <url>" scored by expiry (Redis's own clock). */
const REGISTER = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 1`;

const LIVE_NODES = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)`;

/** A token bucket per hashed client address (ARGV: capacity, per second, cost); 1 if allowed. */
const TAKE_TOKEN = `
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(b[1]) or capacity
local at = tonumber(b[2]) or now
tokens = math.min(capacity, tokens + (now - at) / 1000 * rate)
local ok = 0
if tokens >= cost then
  tokens = tokens - cost
  ok = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return ok`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    claimRoom(key: string, value: string, ttlMs: number, idPrefix: string): Result<string, Context>;
    releaseRoom(key: string, value: string): Result<number, Context>;
    registerNode(key: string, member: string, ttlMs: number): Result<number, Context>;
    liveNodes(key: string): Result<string[], Context>;
    takeToken(key: string, capacity: number, perSecond: number, cost: number): Result<number, Context>;
  }
}

export type ConclaveRedis = Redis;

export const KEYS = {
  room: (hash: string) => `conclave:room:${hash}`,
  nodes: 'conclave:nodes',
  rateLimit: (kind: string, hash: string) => `conclave:rl:${kind}:${hash}`,
} as const;

export function connectRedis(url: string): ConclaveRedis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 2000,
    // Reconnect quickly and forever: a node keeps serving its meetings while Redis is away.
    retryStrategy: (times) => Math.min(100 * times, 500),
  });
  redis.defineCommand('claimRoom', { numberOfKeys: 1, lua: CLAIM });
  redis.defineCommand('releaseRoom', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('registerNode', { numberOfKeys: 1, lua: REGISTER });
  redis.defineCommand('liveNodes', { numberOfKeys: 1, lua: LIVE_NODES });
  redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
  return redis;
}

/** Seconds Redis has been up (INFO server), to tell whether it may have lost entries recently. */
export async function redisUptimeSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('server');
  const m = /uptime_in_seconds:(\d+)/.exec(info);
  return m ? Number(m[1]) : 0;
}
