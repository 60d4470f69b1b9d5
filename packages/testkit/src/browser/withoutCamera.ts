import type { BrowserContext } from 'playwright-core';

/**
 * Makes every page of `context` a viewer: the meeting opens its microphone but never a camera, so
 * that in a test only the chosen pages encode video (and each viewer shows the same publisher).
 */
export async function withoutCamera(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const devices = navigator.mediaDevices;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = (constraints) => original({ ...constraints, video: false });
  });
}
