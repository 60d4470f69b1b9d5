import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { spawnServer, until } from '@conclave/testkit';
import { WrtcConference } from '@conclave/testkit/wrtc';
import { describe, expect, it, onTestFinished } from 'vitest';

/*
 * PRIVACY P10: packets passing through the SFU live only in memory. Three participants running the
 * real client (Conference on @roamhq/wrtc) send real media through the real server process; while
 * media flows, the process holds no file open for writing, and afterwards it has written no file at
 * all (working directory, TMPDIR).
 * Server and participants belong to the test attempt: a retry starts from nothing (an earlier
 * version kept them in module-level arrays, and its retry counted the first attempt's peers).
 */

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

describe('SFU storage', () => {
  it('P10: media forwarded by the SFU is never written to disk', async () => {
    const server = await spawnServer();
    onTestFinished(() => server.close());
    const participants: WrtcConference[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await WrtcConference.join(server, 'LanternSwansGlideOnward');
      onTestFinished(() => p.close());
      participants.push(p);
    }
    const receivedVideo = (p: WrtcConference) =>
      new Set(p.received.filter((r) => r.kind === 'video' && r.frames > 5).map((r) => r.participantId)).size;
    await until(
      () => participants.every((p) => receivedVideo(p) === 2),
      'every participant to receive both others',
      90_000,
    ).catch((err) => {
      throw new Error(
        `${err.message}; received ${participants.map((p) => receivedVideo(p))}; server said:\n${server.output().slice(-2000)}`,
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
