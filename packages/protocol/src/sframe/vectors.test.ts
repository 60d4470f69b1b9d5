import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { aeadDecrypt, aeadEncrypt, importAeadKey } from './aead.js';
import { fromHex, toHex } from './bytes.js';
import { decodeHeader, encodeHeader } from './header.js';
import { deriveKeySalt, sframeKeyLabel, sframeSaltLabel, splitCtrHmacKey } from './keys.js';
import { buildNonce, decrypt, encrypt } from './sframe.js';
import { getCipherSuite } from './suites.js';

// The test vectors published in RFC 9605 (Appendix C), kept beside this file (see docs/sframe.md).
const VECTOR_PATH = fileURLToPath(new URL('./rfc9605-vectors.json', import.meta.url));

/**
 * KIDs and CTRs reach 2^64-1, beyond JSON.parse's exact range. A small scan marks every integer
 * token outside string literals before parsing, and the reviver turns marked values into bigint.
 */
const INT_MARK = '\u0000int:';
function parseWithBigInts(text: string): unknown {
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token) =>
    /^-?\d+$/.test(token) ? JSON.stringify(INT_MARK + token) : token,
  );
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(INT_MARK) ? BigInt(value.slice(INT_MARK.length)) : value,
  );
}

type Row = Record<string, unknown>;

function loadVectors(): Record<string, Row[]> {
  if (!existsSync(VECTOR_PATH)) throw new Error(`SFrame test vectors not found at ${VECTOR_PATH}.`);
  return parseWithBigInts(readFileSync(VECTOR_PATH, 'utf8')) as Record<string, Row[]>;
}

const vectors = loadVectors();

function big(row: Row, field: string): bigint {
  const v = row[field];
  if (typeof v !== 'bigint') throw new Error(`vector field ${field} is not an integer: ${String(v)}`);
  return v;
}
function hex(row: Row, field: string): Uint8Array {
  const v = row[field];
  if (typeof v !== 'string') throw new Error(`vector field ${field} is not a hex string`);
  return fromHex(v);
}
function section(name: string): Row[] {
  const rows = vectors[name];
  if (!Array.isArray(rows) || rows.length === 0) throw new Error(`vector section "${name}" missing or empty`);
  return rows;
}
const suiteLabel = (id: bigint): string =>
  `${getCipherSuite(Number(id)).name} (0x${id.toString(16).padStart(4, '0')})`;

const HANDLED_SECTIONS = ['header', 'aes_ctr_hmac', 'aes_256_ctr_hmac', 'sframe'];

describe('SFrame test vector file', () => {
  it('has exactly the sections these tests cover (a new section must get tests, not be ignored)', () => {
    expect(Object.keys(vectors).sort()).toEqual([...HANDLED_SECTIONS].sort());
  });

  it('keeps integers above 2^53 exact', () => {
    const ctrs = section('header').map((r) => big(r, 'ctr'));
    expect(ctrs).toContain(18446744073709551615n);
    expect(ctrs).toContain(72057594037927936n);
  });
});

describe('vectors: header', () => {
  for (const row of section('header')) {
    const kid = big(row, 'kid');
    const ctr = big(row, 'ctr');
    const encoded = String(row.encoded);
    it(`kid=${kid} ctr=${ctr} <-> ${encoded}`, () => {
      expect(toHex(encodeHeader(kid, ctr))).toBe(encoded);
      const bytes = fromHex(encoded);
      expect(decodeHeader(bytes)).toEqual({ kid, ctr, length: bytes.length });
      // Trailing ciphertext must not change the parse.
      const withBody = new Uint8Array([...bytes, 0xaa, 0xbb]);
      expect(decodeHeader(withBody)).toEqual({ kid, ctr, length: bytes.length });
    });
  }
});

for (const name of ['aes_ctr_hmac', 'aes_256_ctr_hmac']) {
  describe(`vectors: ${name}`, () => {
    for (const row of section(name)) {
      const suite = Number(big(row, 'cipher_suite'));
      it(`${suiteLabel(big(row, 'cipher_suite'))} nonce=${String(row.nonce)}`, async () => {
        const key = hex(row, 'key');
        const { encKey, authKey } = splitCtrHmacKey(suite, key);
        expect(toHex(encKey)).toBe(row.enc_key);
        expect(toHex(authKey)).toBe(row.auth_key);

        const nonce = hex(row, 'nonce');
        const aad = hex(row, 'aad');
        const enc = await importAeadKey(suite, key, 'encrypt');
        expect(toHex(await aeadEncrypt(enc, nonce, aad, hex(row, 'pt')))).toBe(row.ct);
        const dec = await importAeadKey(suite, key, 'decrypt');
        expect(toHex(await aeadDecrypt(dec, nonce, aad, hex(row, 'ct')))).toBe(row.pt);
      });
    }
  });
}

describe('vectors: sframe', () => {
  for (const row of section('sframe')) {
    const suite = Number(big(row, 'cipher_suite'));
    const kid = big(row, 'kid');
    const ctr = big(row, 'ctr');
    it(`${suiteLabel(big(row, 'cipher_suite'))} kid=${kid} ctr=${ctr}`, async () => {
      const baseKey = hex(row, 'base_key');
      const metadata = hex(row, 'metadata');

      expect(toHex(sframeKeyLabel(suite, kid))).toBe(row.sframe_key_label);
      expect(toHex(sframeSaltLabel(suite, kid))).toBe(row.sframe_salt_label);
      const derived = await deriveKeySalt(suite, kid, baseKey);
      expect(toHex(derived.secret)).toBe(row.sframe_secret);
      expect(toHex(derived.key)).toBe(row.sframe_key);
      expect(toHex(derived.salt)).toBe(row.sframe_salt);

      expect(toHex(buildNonce(derived.salt, ctr))).toBe(row.nonce);
      expect(toHex(encodeHeader(kid, ctr)) + toHex(metadata)).toBe(row.aad);

      const frame = await encrypt(suite, baseKey, kid, ctr, metadata, hex(row, 'pt'));
      expect(toHex(frame)).toBe(row.ct);
      const opened = await decrypt(suite, baseKey, kid, metadata, hex(row, 'ct'));
      expect(opened.kid).toBe(kid);
      expect(opened.ctr).toBe(ctr);
      expect(toHex(opened.plaintext)).toBe(row.pt);
    });
  }
});
