import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { type ServerProcess, spawnServer, TestClient, type TestServer } from '@conclave/testkit';
import { WrtcPeer } from '@conclave/testkit/wrtc';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * PRIVACY P10: packets passing through the SFU live only in memory. Three @roamhq/wrtc participants
 * send real media through the real server process; while media flows, the process holds no file
 * open for writing, and afterwards it has written no file at all (working directory, TMPDIR).
 */

let server: ServerProcess | undefined;
const peers: WrtcPeer[] = [];
const clients: TestClient[] = [];

afterAll(() => {
  for (const p of peers) p.close();
  for (const c of clients) c.close();
  server?.kill();
});

/** Regular files the process has open with O_WRONLY or O_RDWR (from /proc/<pid>/fdinfo flags). */
function filesOpenForWriting(pid: number): string[] {
  const open: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (!target.startsWith('/') || !statSync(target).isFile()) continue;
    } catch {
      continue; // closed meanwhile, or a socket/pipe/anon inode
    }
    const flags = /flags:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1] ?? '0';
    if ((Number.parseInt(flags, 8) & 0o3) !== 0) open.push(target);
  }
  return open;
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('SFU storage', () => {
  it('P10: media forwarded by the SFU is never written to disk', async () => {
    server = await spawnServer();
    const ws = { wsUrl: server.wsUrl } as TestServer;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { client, joined } = await TestClient.join(ws, 'LanternSwansGlideOnward');
      clients.push(client);
      ids.push(joined.self.id);
      const peer = new WrtcPeer({
        publish: { width: 320, height: 180, fps: 15 },
        send: (signal) => client.send({ type: 'mediaSignal', ...signal }),
      });
      peers.push(peer);
      void (async () => {
        while (client.closeCode === undefined) {
          const m = await client.next('mediaSignal', 120_000).catch(() => undefined);
          if (m) await peer.signal(m).catch(() => {});
        }
      })();
    }
    const receivedVideo = (peer: WrtcPeer) =>
      new Set(peer.received.filter((r) => r.kind === 'video' && r.frames > 5).map((r) => r.participantId))
        .size;
    await until(
      () => peers.every((p) => receivedVideo(p) === 2),
      'every participant to receive both others',
      90_000,
    ).catch((err) => {
      throw new Error(
        `${err.message}; received ${peers.map(receivedVideo)}; server said:\n${server?.output().slice(-2000)}`,
      );
    });

    const pid = server.pid;
    expect(filesOpenForWriting(pid)).toEqual([]);
    await new Promise((r) => setTimeout(r, 2000));
    expect(filesOpenForWriting(pid)).toEqual([]);
    expect(server.output()).toMatch(/sfu_rtp|room\.mode/);
    expect(server.files()).toEqual([]);
  });
});
