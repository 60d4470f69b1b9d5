import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type TempDir, tempDir } from '../fs/tempDir.js';

/** Which web client a test server serves: a one-line stand-in page, or the real built UI. */
export type Ui = 'stand-in' | 'built';

/** packages/web/dist, found through the workspace package rather than a relative path. */
const BUILT = join(dirname(createRequire(import.meta.url).resolve('@conclave/web/package.json')), 'dist');

/** A stand-in page for servers under test that do not need the built UI. */
export function standInWebDir(): TempDir {
  const dir = tempDir('web');
  writeFileSync(join(dir.path, 'index.html'), '<!doctype html><title>Conclave</title>');
  return dir;
}

/**
 * A private copy of the built web client, so that a rebuild of packages/web/dist while a long
 * browser test runs (another `npm run build` on the same checkout) cannot pull assets from under it.
 */
export function snapshotWebDir(): TempDir {
  if (!existsSync(join(BUILT, 'index.html'))) {
    throw new Error(`The web client is not built (${BUILT}); run "npm run build" first.`);
  }
  for (let attempt = 0; ; attempt++) {
    const dir = tempDir('web-e2e');
    cpSync(BUILT, dir.path, { recursive: true });
    // A copy taken mid-rebuild may lack the assets index.html names; take another.
    const html = readFileSync(join(dir.path, 'index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
    if (assets.every((a) => existsSync(join(dir.path, a))) || attempt >= 5) return dir;
    dir.remove();
  }
}

export function webDirFor(ui: Ui): TempDir {
  return ui === 'built' ? snapshotWebDir() : standInWebDir();
}
