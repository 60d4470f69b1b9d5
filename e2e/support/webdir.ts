import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILT = fileURLToPath(new URL('../../packages/web/dist', import.meta.url));

/**
 * A private copy of the built web client, so that a rebuild of packages/web/dist while a long
 * browser test runs (another `npm run build` on the same checkout) cannot pull assets from under it.
 * Pass it as `web.dir`.
 */
export function snapshotWebDir(): string {
  if (!existsSync(join(BUILT, 'index.html'))) {
    throw new Error(`The web client is not built (${BUILT}); run "npm run build" first.`);
  }
  for (let attempt = 0; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'conclave-web-e2e-'));
    cpSync(BUILT, dir, { recursive: true });
    // A copy taken mid-rebuild may lack the assets index.html names; take another.
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
    if (assets.every((a) => existsSync(join(dir, a))) || attempt >= 5) return dir;
  }
}
