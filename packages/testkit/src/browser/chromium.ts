import { existsSync } from 'node:fs';
import { type Browser, type BrowserServer, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/*
 * Debian's Chromium, headless, with fake camera and microphone. The background-networking flags
 * keep it from calling Google; --allow-loopback-in-peer-connection lets WebRTC use loopback,
 * the only interface inside the tests' network namespace.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

export interface LaunchOptions {
  /** Accept self-signed certificates (the test coturn's TLS listener). */
  ignoreCertificateErrors?: boolean;
  /** More command-line flags (e.g. a file for the fake camera). */
  extraArgs?: readonly string[];
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install it with "apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    // Playwright gives every launch a fresh, empty profile directory of its own.
    args: [
      ...FLAGS,
      ...(options.ignoreCertificateErrors ? ['--ignore-certificate-errors'] : []),
      ...(options.extraArgs ?? []),
    ],
  });
}

/**
 * A Chromium in a process of its own that a test may kill or freeze abruptly (a participant who
 * vanishes without saying goodbye), with a Browser connected to it.
 */
export async function launchKillableChromium(extraArgs: readonly string[] = []): Promise<{
  browser: Browser;
  server: BrowserServer;
  pid: number;
}> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}.`);
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: [...FLAGS, ...extraArgs] });
  const pid = server.process().pid;
  if (pid === undefined) throw new Error('Chromium started without a process id');
  const browser = await chromium.connect(server.wsEndpoint());
  return { browser, server, pid };
}
