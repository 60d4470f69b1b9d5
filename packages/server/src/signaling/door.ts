import { type ClientMessageOf, parseRoomName, REDIRECT_VERSION } from '@conclave/protocol';
import type { RoomDirectory } from '../directory/RoomDirectory.js';
import { ConclaveError } from '../errors.js';
import type { AddressLimiter } from '../util/AddressLimiter.js';

export interface DoorDeps {
  directory: RoomDirectory;
  joinLimiter: AddressLimiter;
  passwordLimiter: AddressLimiter;
}

/** Where a join goes: into a meeting on this node, or on to another node. */
export type DoorOutcome =
  | { kind: 'enter'; roomKey: string }
  | { kind: 'redirect'; url: string; ticket: string };

/**
 * The door of this node, before any room: the per-address join limit (PRIVACY P2), the room name,
 * the directory (the meeting may run on, or start on, another node), and — only where the meeting
 * is, because that is where the password is checked — the per-address password limit (P4).
 * Throws ConclaveError for every refusal.
 */
export async function passDoor(
  deps: DoorDeps,
  clientAddress: string,
  version: number,
  message: ClientMessageOf<'join'>,
): Promise<DoorOutcome> {
  const name = parseRoomName(message.room);
  // A ticket proves another node already counted this join against the address's limit.
  const redirected =
    name.ok && message.ticket !== undefined && deps.directory.redeem(name.key, message.ticket);
  if (!redirected && !(await deps.joinLimiter.take(clientAddress)))
    throw new ConclaveError('JOIN_RATE_LIMITED');
  if (!name.ok) throw new ConclaveError('INVALID_ROOM_NAME', name.message);
  const placement = await deps.directory.place(name.key, redirected);
  if (placement.kind === 'unavailable') throw new ConclaveError('DIRECTORY_UNAVAILABLE');
  if (placement.kind === 'elsewhere') {
    if (version < REDIRECT_VERSION) throw new ConclaveError('REDIRECT_UNSUPPORTED');
    return { kind: 'redirect', url: signalingUrl(placement.node.url), ticket: placement.ticket };
  }
  if (message.password !== undefined && !(await deps.passwordLimiter.take(clientAddress))) {
    throw new ConclaveError('PASSWORD_RATE_LIMITED');
  }
  return { kind: 'enter', roomKey: name.key };
}

/** A node's base URL (with any path prefix) → its signalling WebSocket URL. */
export function signalingUrl(base: string): string {
  const url = new URL(base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
