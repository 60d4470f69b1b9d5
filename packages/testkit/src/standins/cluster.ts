import type { ClientMessageOf, ServerMessageOf } from '@conclave/protocol';
import type { ConfigInput } from '@conclave/server';
import { startTestServer, type TestServer } from '../server/startTestServer.js';
import { TestClient } from '../server/TestClient.js';

/*
 * Test support for cluster nodes: in-process servers sharing one (real) Redis, and a raw client
 * that follows redirects the way the real client does, recording where it went.
 */

export const TEST_CLUSTER_SECRET = 'conclave-test-cluster-secret-0123456789abcdef';

const GENEROUS_LIMITS = {
  joinsPerMinute: 10_000,
  joinBurst: 10_000,
  passwordAttemptsPerMinute: 10_000,
  passwordBurst: 10_000,
};

type Overrides = Parameters<typeof startTestServer>[0];

/** A node on `redisUrl`, with limits that a test's many joins do not hit. */
export function startNode(redisUrl: string, overrides: Overrides = {}): Promise<TestServer> {
  const cluster: ConfigInput['cluster'] = {
    redisUrl,
    secret: TEST_CLUSTER_SECRET,
    entryTtlSeconds: 2,
    ...overrides.cluster,
  };
  return startTestServer({
    ...overrides,
    limits: { ...GENEROUS_LIMITS, ...overrides.limits },
    cluster,
  });
}

/**
 * Until every node sees all `count` nodes in the registry (so placement agrees everywhere) and
 * starts new meetings (a fresh Redis makes them wait one TTL first). A node enters the registry
 * only once it starts new meetings, so this covers nodes not passed here too (a spawned process).
 */
export async function nodesAgree(
  nodes: readonly TestServer[],
  count: number,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = nodes.map(
      (n) => (n.directory as unknown as { nodes?: readonly unknown[] }).nodes?.length ?? 0,
    );
    if (seen.every((c) => c === count) && nodes.every((n) => n.directory.state === 'ok')) return;
    if (Date.now() > deadline) throw new Error(`nodes see ${seen.join(', ')} nodes, not ${count}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ClusterJoin {
  client: TestClient;
  joined: ServerMessageOf<'joined'>;
  /** The signalling URL it ended on. */
  url: string;
  redirects: number;
}

/** Greets with protocol 2 at `wsUrl`, joins, and follows redirects (at most 3) like the real client. */
export async function joinVia(
  wsUrl: string,
  join: Omit<ClientMessageOf<'join'>, 'type' | 'ticket'>,
): Promise<ClusterJoin> {
  let url = wsUrl;
  let ticket: string | undefined;
  for (let redirects = 0; redirects <= 3; redirects++) {
    const client = await TestClient.connect({ wsUrl: url }, { versions: [1, 2] });
    client.send({ type: 'join', ...join, ...(ticket ? { ticket } : {}) });
    const reply = await client.nextOf(['joined', 'redirect', 'error']);
    if (reply.type === 'joined') return { client, joined: reply, url, redirects };
    client.close();
    if (reply.type === 'error') throw Object.assign(new Error(reply.message), { code: reply.code });
    url = reply.url;
    ticket = reply.ticket;
  }
  throw new Error('too many redirects');
}
