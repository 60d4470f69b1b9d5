// Preloaded into bench nodes (`node --expose-gc --import ./memoryProbe.mjs`): on SIGUSR2, collect
// garbage and print the process's memory, so the bench compares live heap, not GC timing.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  process.stderr.write(`MEMORY ${JSON.stringify(process.memoryUsage())}\n`);
});
