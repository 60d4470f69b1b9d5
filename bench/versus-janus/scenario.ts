import type { Bot } from './Bot.js';
import { ConclaveBot } from './ConclaveBot.js';
import { JanusBot } from './JanusBot.js';
import type { MediaShape } from './rtp.js';
import type { ServerUnderTest } from './servers.js';

/*
 * A scenario's bots on one server: `publishers` bots publish, and either `subscribers` more bots
 * receive every publisher (1 → N), or, with `mesh`, the publishers receive each other (M × M).
 * Each server gets them through its own signalling, in the order its clients would do it.
 */

export interface Scenario {
  label: string;
  publishers: number;
  /** Receive-only bots (1 → N); 0 with `mesh`. */
  subscribers: number;
  mesh: boolean;
  /** Video packets/s of each publisher (audio: MediaShape's). */
  videoPps: number;
  /**
   * 1 → N: how many of the N subscribers count their packets in JavaScript (loss, latency); the
   * others drain (see SyntheticPeer) and the forwarded rate comes from the kernel. Infinity: all.
   */
  counted: number;
}

export const subscribingBots = (s: Scenario) => (s.mesh ? s.publishers : s.subscribers);
/** Copies the server sends of each published packet. */
export const fanOut = (s: Scenario) => (s.mesh ? s.publishers - 1 : s.subscribers);
/** Whether some subscribers drain instead of counting. */
export const draining = (s: Scenario) => !s.mesh && s.counted < s.subscribers;
/** Streams (audio and video) the counting subscribers receive in all. */
export const expectedStreams = (s: Scenario) =>
  2 * (s.mesh ? s.publishers * (s.publishers - 1) : s.publishers * Math.min(s.counted, s.subscribers));

/** Gaps between joins, so that neither server sees a thundering herd of handshakes. */
const JOIN_GAP_MS = 30;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startBots(
  server: ServerUnderTest,
  scenario: Scenario,
  shape: MediaShape,
  address: string,
  bots: Bot[],
): Promise<void> {
  const total = scenario.publishers + (scenario.mesh ? 0 : scenario.subscribers);
  if (server.kind === 'conclave') {
    for (let i = 0; i < total; i++) {
      const publish = i < scenario.publishers;
      const drain = !publish && i - scenario.publishers >= scenario.counted;
      bots.push(await ConclaveBot.join(server.wsUrl, ROOM, shape, address, publish, drain));
      await pause(JOIN_GAP_MS);
    }
    return;
  }
  const publishers: JanusBot[] = [];
  for (let i = 0; i < scenario.publishers; i++) {
    const bot = await JanusBot.connect(server.wsUrl, shape, address);
    bots.push(bot);
    await bot.publish();
    publishers.push(bot);
  }
  if (scenario.mesh) {
    for (const bot of publishers) {
      await bot.subscribe(publishers.filter((p) => p !== bot).map((p) => p.id));
      await pause(JOIN_GAP_MS);
    }
    return;
  }
  for (let i = 0; i < scenario.subscribers; i++) {
    const bot = await JanusBot.connect(server.wsUrl, shape, address, i >= scenario.counted);
    bots.push(bot);
    await bot.subscribe(publishers.map((p) => p.id));
    await pause(JOIN_GAP_MS);
  }
}

/**
 * Resolves once every expected stream has delivered packets to the counting subscribers and every
 * draining one is connected (whether the server then sends it everything shows in the run's
 * `deliveredPercent`, from the kernel's counters), or rejects after `timeoutMs`.
 */
export async function allFlowing(bots: Bot[], scenario: Scenario, timeoutMs: number): Promise<void> {
  const want = expectedStreams(scenario);
  const drains = bots.filter((b) => b.drain);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const have = bots.reduce((n, b) => n + b.receivedStreams().length, 0);
    const served = drains.filter((b) => b.connected()).length;
    if (have >= want && served === drains.length) return;
    if (Date.now() > deadline)
      throw new Error(
        `only ${have} of ${want} streams flowing, ${served} of ${drains.length} draining subscribers connected`,
      );
    await pause(250);
  }
}

/** Outgoing SSRC → the publisher's SSRC it carries, for the capture's latency matching. */
export function sourceMap(bots: Bot[]): Map<number, number> {
  const byId = new Map(bots.map((b) => [b.id, b]));
  const out = new Map<number, number>();
  for (const bot of bots) {
    for (const { ssrc, publisher, kind } of bot.receivedStreams()) {
      const source = byId.get(publisher)?.sources?.[kind];
      if (source !== undefined) out.set(ssrc, source);
    }
  }
  return out;
}

const ROOM = 'SevenBraveOttersSingSoftlyUnderBridges';
