// Preloaded into the Conclave server by bench/versus-janus only (with --expose-gc): SIGUSR2 runs a
// full garbage collection, so that the bench reads the server's memory as what is live, not as
// start-up garbage V8 has not collected yet (tens of MiB, which made "RSS per subscriber" negative).
process.on('SIGUSR2', () => globalThis.gc?.());
