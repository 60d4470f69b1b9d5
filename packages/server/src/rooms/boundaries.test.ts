import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * rooms/ is policy: it sees the media engine only through its interface (sfu/MediaEngine.ts) and
 * the recorder only through its port, so either can be swapped or cascaded (docs/architecture.md).
 */
const dir = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('rooms/ boundaries', () => {
  it.each(sources)('%s imports nothing concrete from sfu/ or recording/', (file) => {
    const imports = [
      ...readFileSync(`${dir}/${file}`, 'utf8').matchAll(/from '(\.\.\/(?:sfu|recording)\/[^']+)'/g),
    ];
    const allowed = new Set(['../sfu/MediaEngine.js', '../recording/RecordingPort.js']);
    expect(imports.map((m) => m[1]).filter((path) => !allowed.has(path as string))).toEqual([]);
  });
});
