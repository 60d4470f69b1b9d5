#!/usr/bin/env node
import { ConfigError, loadConfig } from './config/load.js';
import { createLogger, errorFields, literal } from './log/logger.js';
import { sweepRecordings } from './recording/sweepCommand.js';

/*
 * The `conclave` command. Without a subcommand it runs the server (like `npm start`); with
 * `recordings sweep` it applies the recordings' retention once and exits, for a timer that keeps
 * PRIVACY P13 while the server is down (docs/operations.md). Both take the same flags and config.
 */

const USAGE =
  'usage: conclave [--config FILE] [--host H] [--port P] | conclave recordings sweep [--config FILE]';

async function recordings(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'sweep') {
    process.stderr.write(`conclave: unknown command "recordings ${sub ?? ''}"; ${USAGE}\n`);
    return 2;
  }
  const config = loadConfig({ argv: rest, env: process.env });
  if (!config.recording.dataDir) {
    process.stderr.write('conclave: recording.dataDir is not set in the configuration: nothing to sweep\n');
    return 2;
  }
  const log = createLogger({ level: config.log.level }).child({ component: literal('recording') });
  try {
    const deleted = await sweepRecordings(config.recording, log);
    process.stdout.write(
      `conclave: recordings sweep deleted ${deleted} entries (past their deadline or orphaned)\n`,
    );
    return 0;
  } catch (err) {
    log.error('recording.sweep_failed', errorFields(err));
    process.stderr.write('conclave: recordings sweep failed (see the log line above)\n');
    return 1;
  }
}

const args = process.argv.slice(2);
if (args[0] === 'recordings') {
  recordings(args.slice(1)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`conclave: ${err instanceof ConfigError ? err.message : 'unexpected error'}\n`);
      process.exit(2);
    },
  );
} else {
  await import('./main.js');
}
