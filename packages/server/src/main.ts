#!/usr/bin/env node
import { ConfigError, loadConfig } from './config/load.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ argv: process.argv.slice(2), env: process.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`conclave: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const server = await startServer(config);
  process.stdout.write(`Conclave is listening on ${server.url}\n`);
  if (server.metricsUrl) process.stdout.write(`Conclave serves metrics on ${server.metricsUrl}\n`);
  const exit = (done: Promise<void>) =>
    done.then(
      () => process.exit(0),
      () => process.exit(1),
    );
  const stop = () => void exit(server.close());
  process.once('SIGINT', stop);
  if (config.cluster.redisUrl) {
    // A cluster node drains on SIGTERM (docs/cluster.md); a second SIGTERM (or SIGINT) stops it at once.
    process.once('SIGTERM', () => {
      process.once('SIGTERM', stop);
      void exit(server.drain());
    });
  } else {
    process.once('SIGTERM', stop);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `conclave: failed to start: ${err instanceof Error ? err.message : 'unknown error'}\n`,
  );
  process.exit(1);
});
