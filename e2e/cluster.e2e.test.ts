import { CLOSE_CODES } from '@conclave/protocol';
import { eventually } from '@conclave/testkit';
import type { BrowserContext } from '@conclave/testkit/browser';
import { joinVia } from '@conclave/testkit/standins';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  decodes,
  dropSockets,
  inOneNewMeeting,
  KEEP_SOCKETS,
  meetingId,
  openSocketUrl,
  selfId,
  steady,
  watchDecoding,
} from './support/clusterPages.js';
import { clusterRig } from './support/clusterRig.js';

/**
 * Pause → the hung node's pages decode each other again on a live node. A page gives a silent node
 * up 10 s after the last message it heard (two of the server's 5 s heartbeats missed), so at most
 * 10 s after the pause; by then the node's entry (TTL 6 s, the default; refreshed every 2 s) has
 * expired, so the first rejoin round places the room anew: 0.25 s, the hung node's 3 s, the entry's
 * answer and redirect, then ICE, DTLS and a first keyframe (≈ 2–4 s here). ≈ 17 s at worst, and
 * margin for a loaded 2-core machine.
 */
const HUNG_BOUND_MS = 25_000;

/*
 * Three Conclave nodes (real processes) sharing one real redis-server, and Chromium pages that
 * open meetings through whichever node: the page's signalling is redirected to the node that hosts
 * the meeting and its media goes straight to that node's media port. A node killed with SIGKILL
 * costs only its own meetings: its pages rejoin through their entry node and meet again in a new
 * meeting, while another node's meeting keeps decoding; a Redis restart disturbs no meeting.
 * A node stopped with SIGSTOP (a hung host) costs the same, once its pages notice the silence;
 * woken up, it finds its entry held elsewhere and moves whatever it still held there. The
 * nodes, Redis and the browser: support/clusterRig.ts.
 */

const rig = clusterRig();
const { live, settled, roomOn, openMeeting, entryKey, takeContexts } = rig;

describe('a cluster of three nodes in Chromium', () => {
  it('P7: two pages entering one meeting through two other nodes meet on its node, media straight to its media port, and Redis holds no name', async () => {
    const [owner, x, y] = live();
    if (!owner || !x || !y) throw new Error('three live nodes needed');
    const room = roomOn(owner, 'SentinelHarborLights');
    const ann = await openMeeting(x, room, 'SentinelAnnika');
    const ben = await openMeeting(y, room, 'SentinelBenedikt');
    for (const [page, who] of [
      [ann, 'Ann'],
      [ben, 'Ben'],
    ] as const) {
      const stats = await decodes(page, `${who} decodes the other`);
      expect(stats.pair?.remote.port).toBe(owner.mediaPort);
    }
    expect(await meetingId(ann)).toBe(await meetingId(ben));
    const dump = JSON.stringify(await rig.redis.dump()).toLowerCase();
    for (const s of [
      'sentinelharborlights',
      'sentinelannika',
      'sentinelbenedikt',
      rig.secret.toLowerCase(),
    ]) {
      expect(dump).not.toContain(s);
    }
  });

  // The restart happens in a hook, so that the Redis it starts belongs to the file (the kit
  // checks that nothing a test starts outlives it); the test then judges what the hook saw.
  describe('a Redis restart', () => {
    const seen = { samples: 0, smallestStep: 0, detail: '', reclaimed: false, rejoined: [] as string[] };
    const mine: BrowserContext[] = [];
    beforeAll(async () => {
      const [, owner, entry] = live();
      if (!owner || !entry) throw new Error('live nodes needed');
      const room = roomOn(owner, 'RedisRestartKeepsUsTalking');
      const pages = [await openMeeting(entry, room, 'Cyd'), await openMeeting(owner, room, 'Dan')];
      mine.push(...takeContexts());
      for (const page of pages) await decodes(page, 'meeting before the restart');
      await steady(pages);
      const ids = await Promise.all(pages.map(selfId));
      const watch = watchDecoding(pages);
      try {
        await rig.redis.stop();
        await new Promise((r) => setTimeout(r, 3000));
      } finally {
        await rig.redis.start();
      }
      const roomKey = entryKey(room);
      seen.reclaimed = await eventually(
        async () => ((await rig.redis.dump())[roomKey]?.[0]?.startsWith(`${owner.id} `) ? true : undefined),
        'entry re-claimed',
        10_000,
      ).catch(() => false);
      Object.assign(seen, await watch.stop());
      // A page that dropped its signalling and joined again is a new participant: not "undisturbed".
      const after = await Promise.all(pages.map(selfId));
      seen.rejoined = ['Cyd (entered through another node)', 'Dan (entered through the owner)'].filter(
        (_, i) => after[i] !== ids[i],
      );
      // New meetings wait until a fresh Redis has been up one TTL (owners re-claim first).
      await settled();
    });
    afterAll(async () => {
      for (const c of mine) await c.close().catch(() => {});
    });

    it('disturbs no meeting: it keeps decoding, and its node claims its entry again', () => {
      expect(seen.reclaimed).toBe(true);
      expect(seen.rejoined).toEqual([]);
      expect(seen.samples).toBeGreaterThanOrEqual(3);
      expect(seen.smallestStep, seen.detail).toBeGreaterThan(0);
    });
  });

  // A page's signalling may drop while Redis is away (a blip on the user's network during an
  // outage). The meeting still runs on its node, which holds it without asking Redis; so the page
  // must find its way back there, not wait at an entry node that cannot read the directory.
  describe('a signalling drop during a Redis outage', () => {
    const seen = {
      directoryDown: false,
      dropped: [] as string[],
      rejoined: false,
      servedBy: undefined as string | undefined,
      jonSeesIvy: false,
      ivyDecodes: false,
      jonDecodes: false,
      stillDown: false,
      shown: '' as string | null,
      placedOn: undefined as string | undefined,
      rejoinMs: 0,
      ownerWs: '',
      ownerId: '',
    };
    const mine: BrowserContext[] = [];
    beforeAll(async () => {
      await settled();
      const [entry, , owner] = live();
      if (!entry || !owner) throw new Error('live nodes needed');
      seen.ownerWs = owner.proc.wsUrl;
      seen.ownerId = owner.id;
      const room = roomOn(owner, 'OutageLeavesTheOwnerOpen');
      const ivy = await openMeeting(entry, room, 'Ivy', KEEP_SOCKETS);
      const jon = await openMeeting(owner, room, 'Jon');
      mine.push(...takeContexts());
      for (const page of [ivy, jon]) await decodes(page, 'meeting before the outage');
      const meeting = await meetingId(ivy);
      const ivyBefore = await selfId(ivy);
      seen.placedOn = (await rig.redis.dump())[entryKey(room)]?.[0]?.split(' ')[0];
      const directories = async () =>
        Promise.all(live().map(async (n) => (await (await fetch(`${n.proc.url}/healthz`)).json()).directory));
      try {
        await rig.redis.stop();
        seen.directoryDown = await eventually(
          async () => ((await directories()).every((d) => d === 'unavailable') ? true : undefined),
          'every node sees Redis gone',
          10_000,
        ).catch(() => false);
        seen.dropped = await dropSockets(ivy);
        const droppedAt = Date.now();
        seen.rejoined = await eventually(
          async () => {
            const id = await selfId(ivy);
            return id && id !== ivyBefore && (await meetingId(ivy)) === meeting ? true : undefined;
          },
          'Ivy back in her meeting',
          20_000,
        ).catch(() => false);
        seen.rejoinMs = Date.now() - droppedAt;
        seen.shown = await ivy
          .locator('[data-testid]')
          .first()
          .getAttribute('data-testid', { timeout: 2000 })
          .catch(() => null);
        if (seen.rejoined) {
          seen.servedBy = await openSocketUrl(ivy);
          const ivyNow = await selfId(ivy);
          seen.jonSeesIvy = await jon.evaluate(
            (id) =>
              (
                globalThis as { conclave?: { conference?: { participants: Map<string, unknown> } } }
              ).conclave?.conference?.participants.has(id ?? '') ?? false,
            ivyNow,
          );
          seen.jonDecodes = await decodes(jon, 'Jon decodes Ivy again', 20_000).then(
            () => true,
            () => false,
          );
          seen.ivyDecodes = await decodes(ivy, 'Ivy decodes Jon again', 20_000).then(
            () => true,
            () => false,
          );
        }
        seen.stillDown = (await directories()).every((d) => d === 'unavailable');
        if (process.env.E2E_TRACE) console.log(`back in the meeting ${seen.rejoinMs} ms after the drop`);
      } finally {
        await rig.redis.start();
      }
      await settled();
    });
    afterAll(async () => {
      for (const c of mine) await c.close().catch(() => {});
    });

    it('the page rejoins its meeting on the node hosting it, and the other participant decodes it again, while Redis is still down', () => {
      // The premise: Ivy came in through another node and was sent to the meeting's node.
      expect(seen.placedOn).toBe(seen.ownerId);
      expect(seen.directoryDown).toBe(true);
      expect(seen.dropped).toHaveLength(1);
      expect(seen.rejoined, `Ivy's page shows ${seen.shown}`).toBe(true);
      expect(seen.servedBy).toBe(seen.ownerWs);
      expect(seen.jonSeesIvy).toBe(true);
      expect(seen.jonDecodes).toBe(true);
      expect(seen.ivyDecodes).toBe(true);
      expect(seen.stillDown).toBe(true);
    });
  });

  // A hung host (SIGSTOP: the kernel still accepts its TCP connections, nothing answers) is the
  // failure a page cannot see in a refused connection. Its pages notice the silence (no heartbeat
  // for two intervals), try the node they were on (given up after 3 s) and then their entry, which
  // places the room anew once the hung node's entry has expired; when the node wakes up it finds
  // its entry held elsewhere and moves what it still holds there (MOVED), so no meeting is split.
  it('P1: a hung node (SIGSTOP): its pages meet again on a live node within 25 s, another node keeps decoding; woken up, it moves what it held (MOVED) and keeps no split meeting', async () => {
    await settled();
    const [entryA, entryB, hung] = live();
    if (!entryA || !entryB || !hung) throw new Error('three live nodes needed');
    const room = roomOn(hung, 'NodeHangsMeetingMoves');
    const roomKey = entryKey(room);
    const ida = await openMeeting(entryA, room, 'Ida', KEEP_SOCKETS);
    const kim = await openMeeting(entryB, room, 'Kim', KEEP_SOCKETS);
    // A client that does not watch for silence (an older client, a bot): it stays on the hung node.
    const old = await joinVia(hung.proc.wsUrl, { room, displayName: 'Old', media: false });
    onTestFinished(() => old.client.close());
    const kept = roomOn(entryB, 'OtherNodeKeepsTalking');
    const lou = await openMeeting(entryA, kept, 'Lou');
    const max = await openMeeting(entryB, kept, 'Max');
    for (const page of [ida, kim, lou, max]) await decodes(page, 'meetings before the hang');
    const before = await meetingId(ida);
    expect(await meetingId(kim)).toBe(before);
    expect(old.joined.meetingId).toBe(before);
    await steady([lou, max]);
    const watch = watchDecoding([lou, max]);
    // Whatever happens below, the node must not stay stopped: later tests use it, and a stopped
    // process outlives everything (SIGKILL in afterAll would still end it).
    let paused = false;
    const resume = () => {
      if (paused) process.kill(hung.proc.pid, 'SIGCONT');
      paused = false;
    };
    onTestFinished(async () => {
      resume();
      await watch.stop();
    });

    process.kill(hung.proc.pid, 'SIGSTOP');
    paused = true;
    const pausedAt = Date.now();
    await inOneNewMeeting([ida, kim], before, 'Ida and Kim in one new meeting', HUNG_BOUND_MS);
    const newMeetingMs = Date.now() - pausedAt;
    await decodes(ida, 'Ida decodes Kim again', HUNG_BOUND_MS - (Date.now() - pausedAt));
    await decodes(kim, 'Kim decodes Ida again', HUNG_BOUND_MS - (Date.now() - pausedAt));
    const metAgainMs = Date.now() - pausedAt;
    console.log(
      `hung node: one new meeting ${newMeetingMs} ms, decoding again ${metAgainMs} ms after SIGSTOP`,
    );
    expect(metAgainMs).toBeLessThan(HUNG_BOUND_MS);
    const { samples, smallestStep, detail } = await watch.stop();
    expect(samples).toBeGreaterThanOrEqual(5);
    expect(smallestStep, detail).toBeGreaterThan(0);
    const holderId = (await rig.redis.dump())[roomKey]?.[0]?.split(' ')[0];
    const holder = live().find((n) => n.id === holderId);
    expect(holder && holder !== hung).toBe(true);
    const met = await meetingId(ida);
    const ids = await Promise.all([ida, kim].map(selfId));

    resume();
    // The node wakes up to an entry held elsewhere: the client still on it is moved, not kept.
    expect(await old.client.closed(10_000)).toBe(CLOSE_CODES.MOVED);
    // Joining again through the woken node lands in the one meeting, on the holder.
    const back = await joinVia(hung.proc.wsUrl, { room, displayName: 'Old', media: false });
    onTestFinished(() => back.client.close());
    expect(back.url).toBe(holder?.proc.wsUrl);
    expect(back.joined.meetingId).toBe(met);
    expect(back.joined.participants.map((p) => p.id).sort()).toEqual([...ids].sort());
    // The pages were not disturbed by the node waking up: same meeting, same participant, same node.
    for (const page of [ida, kim]) {
      expect(await meetingId(page)).toBe(met);
      expect(await openSocketUrl(page)).toBe(holder?.proc.wsUrl);
    }
    expect(await Promise.all([ida, kim].map(selfId))).toEqual(ids);
    expect((await rig.redis.dump())[roomKey]?.[0]?.split(' ')[0]).toBe(holderId);
  });

  it("P1: kill -9 of a meeting's node: its pages meet again, in a new meeting, on a live node within 15 s; another node's meeting never stops decoding", async () => {
    await settled();
    const [doomed, keeper, third] = live();
    if (!doomed || !keeper) throw new Error('two live nodes needed');
    const entries = [keeper, third ?? keeper];
    const lost = roomOn(doomed, 'NodeDiesMeetingMoves');
    const a = await openMeeting(entries[0] ?? keeper, lost, 'Eve');
    const b = await openMeeting(entries[1] ?? keeper, lost, 'Fay');
    const kept = roomOn(keeper, 'OtherNodeKeepsGoing');
    const c = await openMeeting(entries[1] ?? keeper, kept, 'Gus');
    const d = await openMeeting(keeper, kept, 'Hal');
    for (const page of [a, b, c, d]) await decodes(page, 'meetings before the kill');
    const before = await meetingId(a);
    await steady([c, d]);
    const watch = watchDecoding([c, d]);
    // A failed attempt must not leave the sampling loop running.
    onTestFinished(async () => {
      await watch.stop();
    });

    try {
      await doomed.proc.kill();
    } catch (err) {
      await watch.stop();
      throw err;
    }
    const killedAt = Date.now();
    await inOneNewMeeting([a, b], before, 'Eve and Fay in one new meeting', 15_000);
    if (process.env.E2E_TRACE) console.log(`in one new meeting ${Date.now() - killedAt} ms after kill -9`);
    await decodes(a, 'Eve decodes Fay again', 15_000 - (Date.now() - killedAt));
    await decodes(b, 'Fay decodes Eve again', 15_000 - (Date.now() - killedAt));
    const metAgainMs = Date.now() - killedAt;
    expect(metAgainMs).toBeLessThan(15_000);
    if (process.env.E2E_TRACE) console.log(`met again ${metAgainMs} ms after kill -9`);
    const { samples, smallestStep, detail } = await watch.stop();
    expect(samples).toBeGreaterThanOrEqual(5);
    expect(smallestStep, detail).toBeGreaterThan(0);
  });
});
