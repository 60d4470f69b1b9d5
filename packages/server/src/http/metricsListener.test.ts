import { startTestServer, TestClient, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * /metrics gives a timeline of meeting activity (issue 17, finding 6): never on the public listener,
 * and only when the operator turns it on, on a listener of its own (loopback by default).
 */

let server: TestServer;

afterEach(async () => {
  await server?.close();
});

describe('metrics listener', () => {
  it('P14: the public listener never serves metrics, and none is served unless metrics.enabled', async () => {
    server = await startTestServer();
    const { client } = await TestClient.join(server, 'ActivityTimelineRoom');
    const res = await fetch(`${server.url}/metrics`);
    expect(await res.text()).not.toMatch(/conclave_|process_cpu/);
    expect(server.metricsUrl).toBeUndefined();
    client.close();
  });

  it('metrics.enabled: Prometheus text on its own loopback listener, with Node process metrics; counts only', async () => {
    server = await startTestServer({ metrics: { enabled: true, port: 0 } });
    const { client } = await TestClient.join(server, 'MetricsListenerSentinelRoom', 'MetricsSentinelName');
    const url = server.metricsUrl ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(url).port).not.toBe(String(server.port));
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^conclave_rooms 1$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(text.toLowerCase()).not.toContain('sentinel');
    // The metrics listener serves nothing else: not the web client, not signalling.
    expect((await fetch(url.replace('/metrics', '/'))).status).toBe(404);
    expect(await (await fetch(`${server.url}/metrics`)).text()).not.toContain('conclave_rooms');
    client.close();
  });
});
