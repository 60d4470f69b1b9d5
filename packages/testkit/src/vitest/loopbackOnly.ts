import { requireLoopbackNamespace } from '../net/namespace.js';

/*
 * Setup file of the media tier (vitest.config.ts): its tests move real media, which must never
 * leave the machine, so they run only where loopback is the only interface (`npm test` sees to it).
 */
requireLoopbackNamespace('run a test that moves media');
