import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { tempDir } from '../fs/tempDir.js';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/*
 * Preferences that make Debian's Firefox ESR a fake-media WebRTC participant inside the tests'
 * loopback-only network namespace (measured: /work/shared/notes/media-engine.md).
 */
export const FIREFOX_PREFS: Readonly<Record<string, boolean | number | string>> = {
  // A generated camera and microphone, granted without a prompt.
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // Without these Firefox gathers no ICE candidate at all when the machine has no default route
  // (host candidates are gathered only once camera/microphone permission is known to be granted).
  'permissions.default.camera': 1,
  'permissions.default.microphone': 1,
  // Loopback is the only interface in the namespace; its candidates are off by default.
  'media.peerconnection.ice.loopback': true,
  // Real host addresses instead of mDNS names, which nothing in the namespace could resolve.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // Media plays without a user gesture, as Chromium's --autoplay-policy flag does.
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // A closed page leaves no connection behind: no speculative connections (which the server holds
  // until its headers timeout, a minute), and idle keep-alive ones end within a second instead of
  // after 115 s — Firefox keeps them past the end of the browser context that opened them.
  'network.http.speculative-parallel-limit': 0,
  'network.predictor.enabled': false,
  'network.prefetch-next': false,
  'network.http.keep-alive.timeout': 1,
};

export interface FirefoxLaunchOptions {
  /** More preferences, over FIREFOX_PREFS. */
  prefs?: Readonly<Record<string, boolean | number | string>>;
}

/** A Firefox and the way to end it; `close()` also removes its profile, and is safe to call twice. */
export interface LaunchedFirefox {
  readonly browser: Browser;
  /** The browser's process id (its content processes are its children). */
  readonly pid: number;
  close(): Promise<void>;
}

/**
 * Debian's Firefox ESR, headless, driven by puppeteer-core over WebDriver BiDi (never a
 * downloaded browser), with a fresh profile of its own that `close()` removes. Nothing here
 * registers the browser anywhere: it is a child process of the test worker, so the kit's teardown
 * checks find (and kill) a Firefox that a test forgets to close, and fail that test.
 */
export async function launchFirefox(options: FirefoxLaunchOptions = {}): Promise<LaunchedFirefox> {
  if (!existsSync(FIREFOX)) {
    throw new Error(
      `Firefox not found at ${FIREFOX}. Install it with "apt-get update && apt-get install -y firefox-esr" (or set FIREFOX_PATH).`,
    );
  }
  const profile = tempDir('firefox');
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: FIREFOX,
      headless: true,
      userDataDir: profile.path,
      extraPrefsFirefox: { ...FIREFOX_PREFS, ...options.prefs },
      // The test runner owns the signals; the kit's teardown ends the browser.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    profile.remove();
    throw error;
  }
  const pid = browser.process()?.pid;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      profile.remove();
    })();
    return closing;
  };
  if (pid === undefined) {
    await close();
    throw new Error('Firefox started without a process id');
  }
  return { browser, pid, close };
}
