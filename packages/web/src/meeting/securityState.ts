import { t } from '../i18n/index.js';

/*
 * What the security UI says about end-to-end encryption, as pure functions of what this page knows:
 * who announced E2EE (ParticipantInfo.e2ee, from the server), whether this page encrypts, and
 * whether this page's worker could decrypt someone's frames (Conference.decryptStateOf).
 */

/** A participant's media as this page sees it; the value of `data-state` on `e2ee-indicator`. */
export type E2EEIndicatorState = 'encrypted' | 'unencrypted' | 'cannot-encrypt' | 'cannot-decrypt';

/** The whole meeting: everyone encrypts and this page can decrypt everyone, some do, or nobody. */
export type MeetingE2EEState = 'on' | 'partial' | 'off';

export interface RemoteE2EE {
  /** The participant announced E2EE (`setE2EE`); never a key. */
  e2ee: boolean;
  /** Their browser can do E2EE, as it declared when joining (ParticipantInfo.e2eeSupported). */
  e2eeSupported: boolean;
  /** This page's worker's verdict on their frames; undefined until a frame decided it. */
  decrypt: 'ok' | 'cannot-decrypt' | undefined;
}

/**
 * - Their browser cannot do E2EE: `cannot-encrypt`, a lasting fact rather than a choice, so it is
 *   told apart from `unencrypted` (with E2EE on here, their clear frames are dropped too).
 * - They do not encrypt: `unencrypted` (with E2EE on here, their frames are also dropped: see
 *   `blocksMedia`).
 * - They encrypt and this page does not: this page has no key, so it cannot decrypt.
 * - Both encrypt: `cannot-decrypt` once the worker saw their frames fail (a different key),
 *   otherwise `encrypted` (no frame yet counts as encrypted: they announced it).
 */
export function remoteIndicatorState(remote: RemoteE2EE, selfE2EE: boolean): E2EEIndicatorState {
  // The server refuses `setE2EE` on from a participant that declared no support, so `e2ee` is
  // false here; checked first anyway so a stale verdict cannot mask it.
  if (!remote.e2eeSupported) return 'cannot-encrypt';
  if (!remote.e2ee) return 'unencrypted';
  if (!selfE2EE) return 'cannot-decrypt';
  return remote.decrypt === 'cannot-decrypt' ? 'cannot-decrypt' : 'encrypted';
}

/**
 * True when this page shows nothing of them for a reason the tile must explain instead of a
 * frozen image: a key mismatch, or unencrypted media that this page drops because its E2EE is on.
 */
export function blocksMedia(remote: RemoteE2EE, selfE2EE: boolean): boolean {
  const state = remoteIndicatorState(remote, selfE2EE);
  return state === 'cannot-decrypt' || ((state === 'unencrypted' || state === 'cannot-encrypt') && selfE2EE);
}

/** Why a tile's cover hides someone's media (see `blocksMedia`), in words. */
export function coverText(state: E2EEIndicatorState, selfE2EE: boolean): string {
  switch (state) {
    case 'cannot-decrypt':
      return selfE2EE ? t('e2ee.cover.otherKey') : t('e2ee.cover.noKey');
    case 'cannot-encrypt':
      return t('e2ee.cover.cannotEncrypt');
    default:
      return t('e2ee.cover.unencrypted');
  }
}

/** What a tile shows about someone's E2EE (Tile.setEncryption). */
export interface TileEncryption {
  state: E2EEIndicatorState;
  /**
   * The caption's mark shows only while E2EE is in use in the meeting: otherwise every tile would
   * carry the same "not encrypted" mark. The people panel always shows it.
   */
  markHidden: boolean;
  /** The text of a cover over media this page cannot show (instead of a frozen image); undefined: none. */
  cover: string | undefined;
}

/** Every participant's E2EE marks, this page's own included, by participant id. */
export interface E2EEMarks {
  tiles: ReadonlyMap<string, TileEncryption>;
  people: ReadonlyMap<string, E2EEIndicatorState>;
}

export function e2eeMarks(
  self: { id: string; e2ee: boolean },
  others: readonly (RemoteE2EE & { id: string })[],
): E2EEMarks {
  const anyone = self.e2ee || others.some((o) => o.e2ee);
  const selfState: E2EEIndicatorState = self.e2ee ? 'encrypted' : 'unencrypted';
  const tiles = new Map<string, TileEncryption>([
    [self.id, { state: selfState, markHidden: !anyone, cover: undefined }],
  ]);
  const people = new Map<string, E2EEIndicatorState>([[self.id, selfState]]);
  for (const other of others) {
    const state = remoteIndicatorState(other, self.e2ee);
    const cover = blocksMedia(other, self.e2ee) ? coverText(state, self.e2ee) : undefined;
    tiles.set(other.id, { state, markHidden: !anyone, cover });
    people.set(other.id, state);
  }
  return { tiles, people };
}

/**
 * `on` only when this page and every other participant encrypt and nobody is undecryptable here:
 * P11, "the UI shows clearly whether E2EE is on for everyone".
 */
export function meetingState(selfE2EE: boolean, others: readonly RemoteE2EE[]): MeetingE2EEState {
  const states = others.map((o) => remoteIndicatorState(o, selfE2EE));
  if (selfE2EE && states.every((s) => s === 'encrypted')) return 'on';
  if (!selfE2EE && others.every((o) => !o.e2ee)) return 'off';
  return 'partial';
}

/**
 * The `e2ee-cannot-encrypt` warning, naming whose browser cannot do E2EE; undefined (hidden) when
 * nobody in the meeting encrypts, since only then does it cost anyone anything. It says what the
 * code does: receivers with E2EE on drop clear frames (docs/e2ee.md), and a browser without
 * transforms cannot decrypt anything.
 */
export function cannotEncryptWarning(
  selfE2EE: boolean,
  othersE2EE: boolean,
  names: readonly string[],
): string | undefined {
  if (names.length === 0 || !(selfE2EE || othersE2EE)) return undefined;
  return t(selfE2EE ? 'e2ee.cannotEncrypt.self' : 'e2ee.cannotEncrypt.others', { names: names.join(', ') });
}

/** A tile's or person's E2EE mark, in words. */
export function indicatorText(state: E2EEIndicatorState): { label: string; title: string } {
  switch (state) {
    case 'encrypted':
      return { label: t('e2ee.mark.encrypted'), title: t('e2ee.mark.encryptedTitle') };
    case 'unencrypted':
      return { label: t('e2ee.mark.unencrypted'), title: t('e2ee.mark.unencryptedTitle') };
    case 'cannot-encrypt':
      return { label: t('e2ee.mark.cannotEncrypt'), title: t('e2ee.mark.cannotEncryptTitle') };
    case 'cannot-decrypt':
      return { label: t('e2ee.mark.cannotDecrypt'), title: t('e2ee.mark.cannotDecryptTitle') };
  }
}

/** The header badge's words. */
export function meetingBadgeText(state: MeetingE2EEState): { label: string; title: string } {
  switch (state) {
    case 'on':
      return { label: t('e2ee.badge.on'), title: t('e2ee.badge.onTitle') };
    case 'partial':
      return { label: t('e2ee.badge.partial'), title: t('e2ee.badge.partialTitle') };
    case 'off':
      return { label: t('e2ee.badge.off'), title: t('e2ee.badge.offTitle') };
  }
}
