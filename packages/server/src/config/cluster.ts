import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/*
 * Several nodes sharing one Redis directory (docs/cluster.md). Empty `redisUrl` (the default)
 * keeps Conclave one process with no external service. With it, each node needs the address
 * browsers reach it at (`publicUrl`) and the secret every node shares (`secret`), which keys the
 * hash that stands for a room name in Redis: the name itself never goes there (PRIVACY P1, P7).
 */

const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const HttpUrl = z.url({ protocol: /^https?$/ });

/**
 * A CSP-style origin pattern of the nodes' `publicUrl`s: scheme, host (or `*.` + a domain), and a
 * port or `*`, e.g. `https://*.meet.example.org` or `http://127.0.0.1:*`.
 */
const NodeOrigin = z
  .string()
  .regex(
    /^https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:(\d{1,5}|\*))?$/,
    'must be an origin pattern such as "https://*.meet.example.org" or "http://127.0.0.1:*"',
  );

export const ClusterSection = z
  .strictObject({
    /** redis:// or rediss:// URL of the shared directory; empty: one process, no Redis. Env CONCLAVE_REDIS_URL. */
    redisUrl: z
      .string()
      .regex(/^(rediss?:\/\/\S+)?$/, 'must be empty or a redis:// or rediss:// URL')
      .default(''),
    /**
     * This node's own base URL as browsers reach it (env CONCLAVE_PUBLIC_URL); redirects point here.
     * Empty: the address it listens on (right only when browsers reach the node directly there).
     */
    publicUrl: z.union([z.literal(''), HttpUrl]).default(''),
    /** This node's name in the directory; random (per start) by default. Env CONCLAVE_NODE_ID. */
    nodeId: z
      .string()
      .regex(NODE_ID, 'letters, digits, "-" and "_", at most 64')
      .default(() => randomBytes(6).toString('hex')),
    /**
     * Shared by every node (env CONCLAVE_CLUSTER_SECRET): keys the hash of room names and client
     * addresses in Redis, and signs redirect tickets. Never sent to Redis or logged.
     */
    secret: z.string().default(''),
    /**
     * Origins (patterns) where nodes live. A node redirects only to a node whose publicUrl matches one,
     * and the page's CSP lets the browser connect to them. Empty: this node's scheme and host, any port.
     */
    nodeOrigins: z.array(NodeOrigin).max(32).default([]),
    /** Seconds a directory entry lives without its owner's heartbeat (a dead node's meetings free up within it). */
    entryTtlSeconds: z.number().min(2).max(300).default(6),
    /** Seconds a draining node (SIGTERM) waits for its meetings to end before it moves the rest and exits. */
    drainSeconds: z.number().min(0).max(86_400).default(30),
  })
  .prefault({})
  .superRefine((c, ctx) => {
    if (!c.redisUrl) return;
    if (c.secret.length < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['secret'],
        message:
          'cluster.secret (or CONCLAVE_CLUSTER_SECRET) of at least 32 characters, the same on every node',
      });
    }
    if (c.publicUrl && !matchesNodeOrigin(c.publicUrl, nodeOrigins(c, c.publicUrl))) {
      ctx.addIssue({ code: 'custom', path: ['nodeOrigins'], message: 'must include this node’s publicUrl' });
    }
  });

export type ClusterConfig = z.infer<typeof ClusterSection>;

/**
 * The configured node origins, or this node's scheme and host with any port (`listenUrl` stands in
 * for an empty publicUrl).
 */
export function nodeOrigins(
  cluster: Pick<ClusterConfig, 'publicUrl' | 'nodeOrigins'>,
  listenUrl: string,
): string[] {
  if (cluster.nodeOrigins.length > 0) return cluster.nodeOrigins;
  const url = new URL(cluster.publicUrl || listenUrl);
  return [`${url.protocol}//${url.hostname}:*`];
}

/** Whether `url`'s origin matches one of the `patterns` (see NodeOrigin); anything unparsable does not. */
export function matchesNodeOrigin(url: string, patterns: readonly string[]): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return patterns.some((pattern) => {
    const m = /^(https?):\/\/(\*\.)?([^:/]+)(?::(\d+|\*))?$/.exec(pattern);
    if (!m || `${m[1]}:` !== target.protocol) return false;
    const host = (m[3] ?? '').toLowerCase();
    const hostOk = m[2] ? target.hostname.endsWith(`.${host}`) : target.hostname === host;
    const wantPort = m[4] ?? (m[1] === 'https' ? '443' : '80');
    return hostOk && (wantPort === '*' || wantPort === port);
  });
}
