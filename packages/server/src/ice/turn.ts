import { createHmac, randomBytes } from 'node:crypto';
import type { IceServer } from '@conclave/protocol';

export interface TurnCredentials {
  username: string;
  credential: string;
}

/**
 * Short-lived TURN credentials per the TURN REST API draft (draft-uberti-behave-turn-rest-00), as
 * coturn checks them with `use-auth-secret` / `static-auth-secret`: the username is
 * `<expiry unix time>:<random id>` and the credential is base64(HMAC-SHA1(secret, username)).
 * The random id names nobody (P7): coturn logs usernames, and they must not link to a person or room.
 */
export function turnCredentials(
  secret: string,
  ttlSeconds: number,
  nowMs: number = Date.now(),
  id: string = randomBytes(9).toString('base64url'),
): TurnCredentials {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${id}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

export interface IceConfig {
  stunServers: readonly string[];
  turn: { urls: readonly string[]; secret: string; ttlSeconds: number };
}

/**
 * The ICE servers handed to one participant in its `joined` answer: the configured STUN servers,
 * and, when TURN is configured, the TURN URLs with fresh credentials of their own. The shared
 * secret itself never leaves the server and is never logged.
 */
export function iceServersFactory(config: IceConfig): () => IceServer[] {
  const stun: IceServer[] = config.stunServers.length ? [{ urls: [...config.stunServers] }] : [];
  const { urls, secret, ttlSeconds } = config.turn;
  if (!urls.length) return () => stun;
  return () => [...stun, { urls: [...urls], ...turnCredentials(secret, ttlSeconds) }];
}
