import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { type Config, ConfigSchema } from './schema.js';

/** Raised for any configuration problem; its message names the key and what is allowed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface ConfigSources {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

type Overrides = Record<string, Record<string, unknown>>;

/**
 * Builds the configuration from, in rising precedence: defaults, the config file (`--config` or
 * `CONCLAVE_CONFIG`), environment variables, command-line flags.
 */
export function loadConfig({ argv, env }: ConfigSources): Config {
  const flags = parseFlags(argv);
  const path = flags.config ?? env.CONCLAVE_CONFIG;
  const fromFile = path ? readConfigFile(path) : {};
  const merged = merge(merge(fromFile, envOverrides(env)), flagOverrides(flags));
  return parseConfig(merged, path ? `config file ${path}` : 'configuration');
}

export function parseConfig(input: unknown, origin = 'configuration'): Config {
  const result = ConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(`Invalid ${origin}:\n${result.error.issues.map(describeIssue).join('\n')}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? `${key}.` : '';
    return `  - unknown key ${issue.keys.map((k) => `"${where}${k}"`).join(', ')}: see docs/configuration.md for the allowed keys`;
  }
  return `  - ${key}: ${issue.message}`;
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `Cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(`Config file ${path} is not valid JSON`);
  }
}

interface Flags {
  config?: string;
  host?: string;
  port?: string;
  'log-level'?: string;
}

function parseFlags(argv: readonly string[]): Flags {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'log-level': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. Allowed flags: --config, --host, --port, --log-level`);
  }
}

function envOverrides(env: ConfigSources['env']): Overrides {
  const out: Overrides = {};
  if (env.HOST) set(out, 'server', 'host', env.HOST);
  if (env.PORT !== undefined && env.PORT !== '') set(out, 'server', 'port', toPort(env.PORT, 'PORT'));
  if (env.CONCLAVE_LOG_LEVEL) set(out, 'log', 'level', env.CONCLAVE_LOG_LEVEL);
  // The TURN shared secret is best kept out of the config file (which may be world-readable).
  if (env.CONCLAVE_TURN_SECRET) set(out, 'turn', 'secret', env.CONCLAVE_TURN_SECRET);
  // Several nodes on one machine differ in these (scripts/cluster-local.sh, docs/cluster.md).
  if (env.CONCLAVE_MEDIA_PORT !== undefined && env.CONCLAVE_MEDIA_PORT !== '')
    set(out, 'media', 'port', toPort(env.CONCLAVE_MEDIA_PORT, 'CONCLAVE_MEDIA_PORT'));
  if (env.CONCLAVE_REDIS_URL) set(out, 'cluster', 'redisUrl', env.CONCLAVE_REDIS_URL);
  if (env.CONCLAVE_PUBLIC_URL) set(out, 'cluster', 'publicUrl', env.CONCLAVE_PUBLIC_URL);
  if (env.CONCLAVE_NODE_ID) set(out, 'cluster', 'nodeId', env.CONCLAVE_NODE_ID);
  if (env.CONCLAVE_CLUSTER_SECRET) set(out, 'cluster', 'secret', env.CONCLAVE_CLUSTER_SECRET);
  return out;
}

function flagOverrides(flags: Flags): Overrides {
  const out: Overrides = {};
  if (flags.host) set(out, 'server', 'host', flags.host);
  if (flags.port !== undefined) set(out, 'server', 'port', toPort(flags.port, '--port'));
  if (flags['log-level']) set(out, 'log', 'level', flags['log-level']);
  return out;
}

function toPort(value: string, source: string): number {
  if (!/^\d{1,5}$/.test(value)) throw new ConfigError(`${source}: must be an integer from 0 to 65535`);
  return Number(value);
}

function set(target: Overrides, section: string, key: string, value: unknown): void {
  target[section] ??= {};
  (target[section] as Record<string, unknown>)[key] = value;
}

function merge(base: unknown, over: Overrides): unknown {
  if (!isPlainObject(base)) return base; // the schema reports a non-object file
  const out: Record<string, unknown> = { ...base };
  for (const [section, values] of Object.entries(over)) {
    const current = out[section];
    out[section] = isPlainObject(current) ? { ...current, ...values } : values;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
