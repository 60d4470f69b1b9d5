/* E2EE in tests: keys derived independently of the client, and what the SFU forwards checked against them. */

export { forbiddenMaterial, leaks, type Secret, SUITE, sframeKey } from './e2eeKeys.js';
export { checkFrames, ForwardedMedia, type FrameCheck } from './ForwardedMedia.js';
