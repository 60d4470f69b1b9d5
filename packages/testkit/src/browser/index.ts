/*
 * Real browsers for the browser tests and benches — Chromium (playwright-core) and Firefox
 * (puppeteer-core over WebDriver BiDi) — one page interface over both, readers of what their
 * pages see, and host pages of the embedding API.
 */
export type { Browser, BrowserContext, BrowserServer, Frame, Locator, Page } from 'playwright-core';
export { CHROMIUM, type LaunchOptions, launchChromium, launchKillableChromium } from './chromium.js';
export {
  conclaveFrame,
  EMBED_EVENTS,
  frameLoads,
  type HostEvent,
  type HostPageOptions,
  type HostParticipantInfo,
  type HostSite,
  hostCommand,
  hostEvents,
  hostParticipantsInfo,
  openHostPage,
  startHostSite,
  waitForHostEvent,
} from './embedHost.js';
export {
  FIREFOX,
  FIREFOX_PREFS,
  type FirefoxLaunchOptions,
  type LaunchedFirefox,
  launchFirefox,
} from './firefox.js';
export { FREEZE_MS, type FreezeReading, readFreeze, startFreezeMonitor } from './freeze.js';
export {
  chromiumMeetings,
  type Engine,
  type Evaluates,
  firefoxMeetings,
  type MeetingBrowser,
  type MeetingPage,
  type NewPageOptions,
} from './MeetingPage.js';
export { type InboundVideo, mediaStats, type SelectedPair } from './mediaStats.js';
export {
  decodes,
  type E2EEState,
  e2eeState,
  type FromParticipant,
  type JoinOptions,
  keepsDecoding,
  mediaMode,
  openMeeting,
  received,
  selfId,
} from './meeting.js';
export {
  type CandidateInfo,
  type PathDetails,
  pathDetails,
  type RtcpReports,
  rtcpReports,
} from './pathDetails.js';
export { withoutCamera } from './withoutCamera.js';
