import { hkdfSync, pbkdf2Sync } from 'node:crypto';
import { deriveKeySalt, deriveSFrameKey, getCipherSuite, type SFrameKey } from '@conclave/protocol/sframe';

/*
 * E2EE keys as docs/e2ee.md defines them, computed here independently of the client's code, so
 * that the browser tests can open what the SFU forwards and look for key material where none
 * may be.
 */

export const SUITE = getCipherSuite(0x0004); // AES_128_GCM_SHA256_128, docs/e2ee.md
const PBKDF2_ITERATIONS = 600_000;
const utf8 = new TextEncoder();

function meetingKey(passphrase: string, meetingId: string): Buffer {
  return pbkdf2Sync(
    Buffer.from(passphrase.normalize('NFC')),
    Buffer.from(`conclave-e2ee-v1:${meetingId}`),
    PBKDF2_ITERATIONS,
    32,
    'sha256',
  );
}

function senderBaseKey(meeting: Buffer, kid: bigint): Uint8Array<ArrayBuffer> {
  const info = Buffer.alloc(8);
  info.writeBigUInt64BE(kid);
  return new Uint8Array(hkdfSync('sha256', meeting, Buffer.from('conclave-e2ee-sender'), info, 16));
}

function chatKey(meeting: Buffer): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', meeting, Buffer.alloc(0), Buffer.from('conclave-e2ee-chat'), 32));
}

const meetingKeys = new Map<string, Buffer>();
function cachedMeetingKey(passphrase: string, meetingId: string): Buffer {
  const id = `${passphrase}\u0000${meetingId}`;
  let key = meetingKeys.get(id);
  if (!key) {
    key = meetingKey(passphrase, meetingId);
    meetingKeys.set(id, key);
  }
  return key;
}

export async function sframeKey(passphrase: string, meetingId: string, kid: bigint): Promise<SFrameKey> {
  return deriveSFrameKey(SUITE, kid, senderBaseKey(cachedMeetingKey(passphrase, meetingId), kid), 'decrypt');
}

export interface Secret {
  what: string;
  bytes: Uint8Array;
}

/** The passphrases' bytes and everything derived from them, for KIDs of indices 1–15, epochs 0–3. */
export async function forbiddenMaterial(
  uses: { passphrase: string; meetingId: string }[],
): Promise<Secret[]> {
  const out: Secret[] = [];
  for (const { passphrase, meetingId } of uses) {
    out.push({ what: `passphrase "${passphrase}"`, bytes: utf8.encode(passphrase) });
    const meeting = cachedMeetingKey(passphrase, meetingId);
    out.push({ what: `meeting key of "${passphrase}"`, bytes: new Uint8Array(meeting) });
    out.push({ what: `chat key of "${passphrase}"`, bytes: chatKey(meeting) });
    for (let index = 1; index < 16; index++) {
      for (let epoch = 0; epoch < 4; epoch++) {
        const kid = (BigInt(index) << 4n) | BigInt(epoch);
        const base = senderBaseKey(meeting, kid);
        out.push({ what: `base key ${kid} of "${passphrase}"`, bytes: base });
        const { key, salt } = await deriveKeySalt(SUITE, kid, base);
        out.push({ what: `sframe key ${kid} of "${passphrase}"`, bytes: new Uint8Array(key) });
        out.push({ what: `sframe salt ${kid} of "${passphrase}"`, bytes: new Uint8Array(salt) });
      }
    }
  }
  return out;
}

/** Which secrets appear in the frames: raw bytes, or as text in hex, base64(url), decimal lists, URL encoding. */
export function leaks(frames: Buffer[], secrets: Secret[]): string[] {
  const found = new Set<string>();
  const texts = frames.map((f) => f.toString('utf8'));
  const lower = texts.map((t) => t.toLowerCase());
  for (const secret of secrets) {
    const raw = Buffer.from(secret.bytes);
    const text = raw.toString('utf8');
    const needles = [
      raw.toString('hex'),
      raw.toString('base64').replace(/=+$/, ''),
      raw.toString('base64url'),
      [...raw].join(','),
    ];
    if (secret.what.startsWith('passphrase')) {
      needles.push(
        text.toLowerCase(),
        encodeURIComponent(text).toLowerCase(),
        text.replaceAll(' ', '+').toLowerCase(),
      );
    }
    frames.forEach((frame, i) => {
      if (frame.includes(raw)) found.add(secret.what);
      for (const needle of needles) {
        const haystack =
          /^[0-9a-f,]+$/.test(needle) || secret.what.startsWith('passphrase') ? lower[i] : texts[i];
        if (needle.length >= 8 && haystack?.includes(needle)) found.add(secret.what);
      }
    });
  }
  return [...found];
}
