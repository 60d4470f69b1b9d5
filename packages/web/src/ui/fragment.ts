import { DisplayName } from '@conclave/protocol';

/**
 * Options read from the URL fragment, e.g. `/BrightOtter#name=Alice&prejoin=0&audio=0&video=0`.
 * Browsers never send the fragment in HTTP requests, so these choices stay on this device (P5).
 */
export interface FragmentOptions {
  /** Pre-fills (or, with `prejoin=0`, sets) the display name. Dropped when it is not a valid name. */
  displayName: string | undefined;
  /** `false` skips the pre-join page and joins straight away. */
  prejoin: boolean;
  /** `false` starts with the microphone muted. */
  audio: boolean;
  /** `false` starts with the camera off. */
  video: boolean;
  /** `relay=1` sends all media through the server's TURN relay (`iceTransportPolicy: 'relay'`). */
  relay: boolean;
  /**
   * `e2ee=<passphrase>`: turns end-to-end encryption on with this key right after joining (invite
   * links). Read once, then removed from the address bar (`withoutFragmentOption`). Empty: none.
   */
  e2ee: string | undefined;
  /** `lang=de`: the UI's language (the embedding API's `lang`), ahead of the browser's; see i18n/. */
  lang: string | undefined;
}

const FALSE = new Set(['0', 'false', 'no', 'off']);
const TRUE = new Set(['1', 'true', 'yes', 'on', '']);

export function parseFragment(hash: string): FragmentOptions {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  return {
    displayName: parseName(params.get('name')),
    prejoin: parseFlag(params.get('prejoin'), true),
    audio: parseFlag(params.get('audio'), true),
    video: parseFlag(params.get('video'), true),
    relay: parseFlag(params.get('relay'), false),
    e2ee: params.get('e2ee') || undefined,
    lang: params.get('lang') || undefined,
  };
}

/**
 * The fragment without option `name` (e.g. `e2ee`), other options kept as they were: for
 * `history.replaceState` once a secret has been read. Returns '' when nothing is left.
 */
export function withoutFragmentOption(hash: string, name: string): string {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  params.delete(name);
  const rest = params.toString();
  return rest ? `#${rest}` : '';
}

function parseName(value: string | null): string | undefined {
  if (value === null) return undefined;
  const parsed = DisplayName.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

// Anything unrecognised keeps the default, so a typo never silently turns a device on or off.
function parseFlag(value: string | null, fallback: boolean): boolean {
  if (value === null) return fallback;
  const v = value.trim().toLowerCase();
  if (FALSE.has(v)) return false;
  if (TRUE.has(v)) return true;
  return fallback;
}
