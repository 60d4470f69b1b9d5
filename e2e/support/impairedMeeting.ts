import { eventually } from '@conclave/testkit';
import type { Page } from '@conclave/testkit/browser';

/*
 * What the impaired-network files (impaired-network, impaired-delay) read from a page's WebRTC
 * stats: the layer a viewer decodes and the layers the publisher encodes.
 */

/** The height of the remote video the page decodes now, and its frames so far. */
export async function inbound(page: Page): Promise<{ height: number; frames: number }> {
  return page.evaluate(async () => {
    const report = await globalThis.conclave?.conference?.getStats();
    let out = { height: 0, frames: 0 };
    report?.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video' && Number(s.framesDecoded ?? 0) > out.frames)
        out = { height: Number(s.frameHeight ?? 0), frames: Number(s.framesDecoded) };
    });
    return out;
  });
}

/** The publisher's top simulcast layer height, once all three layers encode. */
export async function topLayer(page: Page): Promise<number> {
  return eventually(
    async () => {
      const heights = await page.evaluate(async () => {
        const report = await globalThis.conclave?.conference?.getStats();
        const out: number[] = [];
        report?.forEach((s: Record<string, unknown>) => {
          if (s.type === 'outbound-rtp' && s.kind === 'video' && Number(s.framesEncoded ?? 0) > 0)
            out.push(Number(s.frameHeight ?? 0));
        });
        return out;
      });
      return heights.length === 3 && heights.every((h) => h > 0) ? Math.max(...heights) : undefined;
    },
    'three simulcast layers encoding',
    60_000,
  );
}
