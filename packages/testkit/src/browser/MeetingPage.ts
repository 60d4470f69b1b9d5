import type { Browser as PlaywrightBrowser } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import type { LaunchedFirefox } from './firefox.js';

/*
 * One page interface over both browser drivers (playwright-core for Chromium, puppeteer-core over
 * WebDriver BiDi for Firefox), so that a test can put "one Chromium and one Firefox" in a meeting
 * and read both with the same helpers. Driver-specific work (clicking through the UI, locators)
 * stays with the driver's own page (`playwright` / `puppeteer`).
 */

/** What the kit's stats readers need of a page: run a function in it. Both drivers' pages have it. */
export interface Evaluates {
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
}

export type Engine = 'chromium' | 'firefox';

export interface MeetingPage extends Evaluates {
  readonly engine: Engine;
  /** Runs `fn(arg)` in the page; `arg` crosses as JSON. */
  evaluateWith<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  goto(url: string): Promise<void>;
  /** Console errors and uncaught exceptions the page reported so far, in order. */
  readonly errors: readonly string[];
  /** Closes the page and its browser context; safe to call again. */
  close(): Promise<void>;
  /** The driver's own page, for what only one driver does (`engine` says which). */
  readonly playwright?: import('playwright-core').Page;
  readonly puppeteer?: PuppeteerPage;
}

export interface NewPageOptions {
  /** A script that runs in the page before the app's own (each navigation). */
  init?: string;
}

/** Opens pages, each in a browser context of its own (no cookies or storage shared). */
export interface MeetingBrowser {
  readonly engine: Engine;
  newPage(options?: NewPageOptions): Promise<MeetingPage>;
}

/** Pages of a Chromium launched with `launchChromium`. */
export function chromiumMeetings(browser: PlaywrightBrowser): MeetingBrowser {
  return {
    engine: 'chromium',
    async newPage(options = {}) {
      const context = await browser.newContext();
      if (options.init) await context.addInitScript({ content: options.init });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
      return {
        engine: 'chromium',
        playwright: page,
        errors,
        evaluate: (fn) => page.evaluate(fn),
        evaluateWith: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) =>
          page.evaluate(fn as (arg: unknown) => R | Promise<R>, arg as unknown),
        goto: async (url) => {
          await page.goto(url);
        },
        close: () => context.close().catch(() => {}),
      };
    },
  };
}

/** Pages of a Firefox launched with `launchFirefox`. */
export function firefoxMeetings(firefox: LaunchedFirefox): MeetingBrowser {
  return {
    engine: 'firefox',
    async newPage(options = {}) {
      const context = await firefox.browser.createBrowserContext();
      const page = await context.newPage();
      if (options.init) await page.evaluateOnNewDocument(options.init);
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(`uncaught: ${e instanceof Error ? e.message : String(e)}`));
      let closing: Promise<void> | undefined;
      return {
        engine: 'firefox',
        puppeteer: page,
        errors,
        evaluate: (fn) => page.evaluate(fn) as Promise<never>,
        evaluateWith: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) =>
          page.evaluate(fn as (arg: unknown) => R | Promise<R>, arg as unknown) as Promise<R>,
        goto: async (url) => {
          await page.goto(url);
        },
        close: () => {
          closing ??= context.close().catch(() => {});
          return closing;
        },
      };
    },
  };
}
