export { type AeadKey, aeadDecrypt, aeadEncrypt, importAeadKey, type KeyUsage } from './aead.js';
export { MAX_UINT64 } from './bytes.js';
export { isSFrameError, SFrameError, type SFrameErrorReason } from './errors.js';
export {
  type DecodedHeader,
  decodeHeader,
  encodedHeaderLength,
  encodeHeader,
  MAX_HEADER_LENGTH,
  type SFrameHeader,
  writeHeader,
} from './header.js';
export {
  type DerivedKeySalt,
  deriveKeySalt,
  hkdfExpand,
  hkdfExtract,
  sframeKeyLabel,
  sframeSaltLabel,
  splitCtrHmacKey,
} from './keys.js';
export { DEFAULT_REPLAY_WINDOW, ReplayWindow } from './replay.js';
export {
  SFrameReceiver,
  type SFrameReceiverOptions,
  SFrameSender,
  type SFrameSenderOptions,
} from './session.js';
export {
  buildNonce,
  type DecryptedFrame,
  decrypt,
  decryptFrame,
  deriveSFrameKey,
  encrypt,
  encryptFrame,
  type SFrameKey,
} from './sframe.js';
export {
  CIPHER_SUITES,
  type CipherSuite,
  CipherSuiteId,
  type CipherSuiteIdValue,
  type CipherSuiteName,
  DEFAULT_CIPHER_SUITE,
  getCipherSuite,
  type HashName,
} from './suites.js';
