export { E2EEManager, type E2EEManagerEvents, type E2EEManagerOptions } from './E2EEManager.js';
export type { CryptorStats, DecryptState } from './FrameCryptor.js';
export { type DropReason, type MediaKind, sframeOverhead } from './frameLayout.js';
export { PBKDF2_ITERATIONS } from './keySchedule.js';
