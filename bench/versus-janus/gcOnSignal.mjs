// Preloaded into the Conclave server by bench/versus-janus only (with --expose-gc): SIGUSR2 runs a
// full garbage collection, so that the bench reads the server's memory as what is live, not as
// start-up garbage V8 has not collected yet (tens of MiB, which made "RSS per subscriber" negative).
// It then writes the resident size of V8's young generation to VERSUS_JANUS_HEAP_FILE: V8 sizes
// that space by the recent allocation rate (1 to 32 MiB, shrunk seconds after a busy start-up), so
// the bench can take it out of RSS, where it would otherwise swamp the memory a subscriber holds.
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const file = process.env.VERSUS_JANUS_HEAP_FILE;
  if (!file) return;
  const young = getHeapSpaceStatistics()
    .filter((s) => s.space_name === 'new_space' || s.space_name === 'new_large_object_space')
    .reduce((n, s) => n + s.physical_space_size, 0);
  writeFileSync(file, JSON.stringify({ youngBytes: young }));
});
