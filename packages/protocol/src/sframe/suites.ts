import { SFrameError } from './errors.js';

/**
 * Cipher suite identifiers from the IANA "SFrame Cipher Suites" registry. 0x0001-0x0005 are
 * defined by RFC 9605 §4.5 / §8.1; 0x0006-0x0008 are the AES-256 variants of the §4.5.1 compound
 * AEAD registered by draft-barnes-sframe-iana-256 (same construction, SHA-512, Nka=32), which the
 * shared test vectors cover.
 */
export const CipherSuiteId = {
  AES_128_CTR_HMAC_SHA256_80: 0x0001,
  AES_128_CTR_HMAC_SHA256_64: 0x0002,
  AES_128_CTR_HMAC_SHA256_32: 0x0003,
  AES_128_GCM_SHA256_128: 0x0004,
  AES_256_GCM_SHA512_128: 0x0005,
  AES_256_CTR_HMAC_SHA512_80: 0x0006,
  AES_256_CTR_HMAC_SHA512_64: 0x0007,
  AES_256_CTR_HMAC_SHA512_32: 0x0008,
} as const;

export type CipherSuiteName = keyof typeof CipherSuiteId;
export type CipherSuiteIdValue = (typeof CipherSuiteId)[CipherSuiteName];

/** Conclave's default: AES-GCM is hardware-accelerated everywhere and has a full 128-bit tag. */
export const DEFAULT_CIPHER_SUITE: CipherSuiteIdValue = CipherSuiteId.AES_128_GCM_SHA256_128;

export type HashName = 'SHA-256' | 'SHA-512';

/** Constants from RFC 9605 §4.4 / Table 1 (all sizes in bytes). */
export interface CipherSuite {
  readonly id: CipherSuiteIdValue;
  readonly name: CipherSuiteName;
  /** `gcm`: AES-GCM; `ctr-hmac`: the encrypt-then-MAC compound AEAD of §4.5.1. */
  readonly aead: 'gcm' | 'ctr-hmac';
  /** Hash for HKDF (and for the HMAC tag in `ctr-hmac` suites). */
  readonly hash: HashName;
  /** Hash output size. */
  readonly nh: number;
  /** AES key size inside the compound AEAD; `undefined` for GCM suites. */
  readonly nka: number | undefined;
  /** AEAD key size (for `ctr-hmac`: Nka + Nh, the AES key followed by the HMAC key). */
  readonly nk: number;
  /** Nonce size. */
  readonly nn: number;
  /** Tag size (ciphertext overhead). */
  readonly nt: number;
}

function ctrHmac(name: CipherSuiteName, aes: 16 | 32, nt: number): CipherSuite {
  const nh = aes === 16 ? 32 : 64;
  return {
    id: CipherSuiteId[name],
    name,
    aead: 'ctr-hmac',
    hash: aes === 16 ? 'SHA-256' : 'SHA-512',
    nh,
    nka: aes,
    nk: aes + nh,
    nn: 12,
    nt,
  };
}

function gcm(name: CipherSuiteName, aes: 16 | 32): CipherSuite {
  return {
    id: CipherSuiteId[name],
    name,
    aead: 'gcm',
    hash: aes === 16 ? 'SHA-256' : 'SHA-512',
    nh: aes === 16 ? 32 : 64,
    nka: undefined,
    nk: aes,
    nn: 12,
    nt: 16,
  };
}

const SUITES: ReadonlyMap<number, CipherSuite> = new Map(
  [
    ctrHmac('AES_128_CTR_HMAC_SHA256_80', 16, 10),
    ctrHmac('AES_128_CTR_HMAC_SHA256_64', 16, 8),
    ctrHmac('AES_128_CTR_HMAC_SHA256_32', 16, 4),
    gcm('AES_128_GCM_SHA256_128', 16),
    gcm('AES_256_GCM_SHA512_128', 32),
    ctrHmac('AES_256_CTR_HMAC_SHA512_80', 32, 10),
    ctrHmac('AES_256_CTR_HMAC_SHA512_64', 32, 8),
    ctrHmac('AES_256_CTR_HMAC_SHA512_32', 32, 4),
  ].map((s) => [s.id, Object.freeze(s)] as const),
);

export const CIPHER_SUITES: readonly CipherSuite[] = Object.freeze([...SUITES.values()]);

/** Accepts a numeric id or an already-resolved suite; throws `unsupported-suite` otherwise. */
export function getCipherSuite(suite: number | CipherSuite): CipherSuite {
  if (typeof suite === 'object') return getCipherSuite(suite.id);
  const found = SUITES.get(suite);
  if (!found) {
    throw new SFrameError('unsupported-suite', `unsupported SFrame cipher suite 0x${suite.toString(16)}`);
  }
  return found;
}
