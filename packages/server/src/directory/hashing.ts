import { createHash, createHmac } from 'node:crypto';
import type { NodeAddress } from './RoomDirectory.js';

/*
 * What stands for a room name or a client address outside this process: an HMAC under the secret
 * every node shares (cluster.secret). Without the secret it cannot be reversed or tested against a
 * guessed name, and the secret itself never goes to Redis (PRIVACY P1, P2, P7).
 */

export function roomHash(secret: string, roomKey: string): string {
  return createHmac('sha256', secret).update(`room\0${roomKey}`).digest('base64url');
}

export function addressHash(secret: string, address: string): string {
  return createHmac('sha256', secret).update(`address\0${address}`).digest('base64url').slice(0, 22);
}

/**
 * Rendezvous (highest-random-weight) hashing: the node where a new meeting starts. Every node that
 * sees the same node list picks the same one, so the choice needs no coordination; when a node
 * leaves, only its own share of new meetings moves. Because `hash` is keyed, nobody without the
 * secret can predict it, so being sent elsewhere says nothing about whether a meeting exists (P2).
 */
export function preferredNode(hash: string, nodes: readonly NodeAddress[]): NodeAddress | undefined {
  let best: NodeAddress | undefined;
  let bestScore = -1n;
  for (const node of nodes) {
    const score = createHash('sha256').update(`${hash}\0${node.id}`).digest().readBigUInt64BE(0);
    if (score > bestScore || (score === bestScore && best && node.id < best.id)) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}
