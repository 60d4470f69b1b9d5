import { pathForRoom } from '../ui/roomPath.js';

/**
 * The meeting's invite link: this origin and the room's path, and — only when asked — the E2EE
 * passphrase as `#e2ee=…`. The key goes in the fragment and nowhere else: browsers never send a
 * fragment to any server, while a path or query would reach the server's logs and the Referer of
 * anything the page loads (docs/web.md, "The e2ee option"). The meeting page reads it back with
 * `parseFragment` and removes it from the address bar once joined.
 */
export function inviteLink(origin: string, room: string, passphrase?: string): string {
  const base = `${origin}${pathForRoom(room)}`;
  if (!passphrase) return base;
  return `${base}#${new URLSearchParams({ e2ee: passphrase }).toString()}`;
}
