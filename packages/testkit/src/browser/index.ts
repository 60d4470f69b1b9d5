/* Real Chromium for the browser tests and benches, and readers of what its pages see. */
export type { Browser, BrowserContext, BrowserServer, Frame, Locator, Page } from 'playwright-core';
export { CHROMIUM, type LaunchOptions, launchChromium, launchKillableChromium } from './chromium.js';
export { type FreezeReading, readFreeze, startFreezeMonitor } from './freeze.js';
export { type InboundVideo, mediaStats, type SelectedPair } from './mediaStats.js';
export {
  type CandidateInfo,
  type PathDetails,
  pathDetails,
  type RtcpReports,
  rtcpReports,
} from './pathDetails.js';
