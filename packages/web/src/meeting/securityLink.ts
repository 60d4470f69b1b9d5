import { withoutFragmentOption } from '../ui/fragment.js';

/*
 * Invite links may carry the E2EE key: `/<Room>#e2ee=<passphrase>`. Browsers never send the
 * fragment to the server, but it stays in the address bar, the session history entry and the
 * browser history (docs/web.md, "The e2ee option"). Once the meeting page has read it, it is
 * replaced out of the address bar and the current history entry.
 */

/** Removes `e2ee=…` from the current URL (other fragment options stay); no new history entry. */
export function scrubInviteKey(): void {
  const hash = location.hash;
  if (!new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash).has('e2ee')) return;
  history.replaceState(
    history.state,
    '',
    location.pathname + location.search + withoutFragmentOption(hash, 'e2ee'),
  );
}
