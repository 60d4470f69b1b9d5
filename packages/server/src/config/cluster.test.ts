import { describe, expect, it } from 'vitest';
import { matchesNodeOrigin, nodeOrigins } from './cluster.js';
import { loadConfig } from './load.js';

const SECRET = 'a-cluster-secret-of-at-least-32-chars!';

describe('cluster configuration', () => {
  it('P14: without Redis there is no cluster: one process, no external service', () => {
    const config = loadConfig({ argv: [], env: {} });
    expect(config.cluster.redisUrl).toBe('');
    expect(config.cluster.nodeId).toMatch(/^[0-9a-f]{12}$/);
    expect(config.cluster.entryTtlSeconds).toBeLessThanOrEqual(10);
  });

  it('takes the node settings from the environment, so several nodes can share one config file', () => {
    const config = loadConfig({
      argv: [],
      env: {
        CONCLAVE_REDIS_URL: 'redis://127.0.0.1:6399',
        CONCLAVE_PUBLIC_URL: 'https://n2.meet.example.org',
        CONCLAVE_NODE_ID: 'n2',
        CONCLAVE_CLUSTER_SECRET: SECRET,
        CONCLAVE_MEDIA_PORT: '10002',
      },
    });
    expect(config.cluster).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6399',
      publicUrl: 'https://n2.meet.example.org',
      nodeId: 'n2',
      secret: SECRET,
    });
    expect(config.media.port).toBe(10002);
  });

  it.each([
    [{ CONCLAVE_REDIS_URL: 'redis://r' }, /cluster\.secret.*32/],
    [{ CONCLAVE_REDIS_URL: 'http://r', CONCLAVE_CLUSTER_SECRET: SECRET }, /cluster\.redisUrl/],
    [{ CONCLAVE_NODE_ID: 'has space' }, /cluster\.nodeId/],
    [{ CONCLAVE_MEDIA_PORT: 'x' }, /CONCLAVE_MEDIA_PORT/],
  ])('refuses %j naming the key', (env, message) => {
    expect(() => loadConfig({ argv: [], env })).toThrow(message);
  });

  it('node origins: the configured patterns, or this node’s scheme and host with any port', () => {
    expect(nodeOrigins({ publicUrl: '', nodeOrigins: [] }, 'http://127.0.0.1:8081')).toEqual([
      'http://127.0.0.1:*',
    ]);
    expect(
      nodeOrigins({ publicUrl: 'https://n1.example.org/x', nodeOrigins: [] }, 'http://127.0.0.1:1'),
    ).toEqual(['https://n1.example.org:*']);
  });

  it.each([
    ['https://n2.meet.example.org', ['https://*.meet.example.org'], true],
    ['https://meet.example.org.evil.example', ['https://*.meet.example.org'], false],
    ['http://n2.meet.example.org', ['https://*.meet.example.org'], false],
    ['https://n2.meet.example.org:8443', ['https://*.meet.example.org'], false],
    ['https://n2.meet.example.org:8443', ['https://*.meet.example.org:*'], true],
    ['http://127.0.0.1:8082/', ['http://127.0.0.1:*'], true],
    ['http://127.0.0.2:8082/', ['http://127.0.0.1:*'], false],
    ['not a url', ['http://127.0.0.1:*'], false],
  ])('matchesNodeOrigin(%s, %j) is %s', (url, patterns, allowed) => {
    expect(matchesNodeOrigin(url, patterns)).toBe(allowed);
  });
});
