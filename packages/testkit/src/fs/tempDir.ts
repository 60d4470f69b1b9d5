import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the system's temp directory that its owner removes when done. */
export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `conclave-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
