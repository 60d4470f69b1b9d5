import type { Kind, SinkCounters } from './rtp.js';

/** A load bot as the scenarios see it, whichever server it talks to. */
export interface Bot {
  /** The server's name for this bot as a publisher (Conclave participant id, Janus feed id). */
  readonly id: string;
  /** The SSRCs this bot publishes, if it publishes. */
  readonly sources: Readonly<Record<Kind, number>> | undefined;
  /** Each stream this bot receives: its SSRC on the wire and the id of the bot that publishes it. */
  receivedStreams(): { ssrc: number; publisher: string; kind: Kind }[];
  counters(): SinkCounters;
  /** A draining subscriber (see SyntheticPeer): it counts nothing. */
  readonly drain: boolean;
  /** Whether its (last) PeerConnection is up: all a draining subscriber can tell. */
  connected(): boolean;
  close(): void;
}

export function mergeCounters(all: SinkCounters[]): SinkCounters {
  const out: SinkCounters = { unique: 0, expected: 0, latencies: [] };
  for (const c of all) {
    out.unique += c.unique;
    out.expected += c.expected;
    for (const l of c.latencies) out.latencies.push(l);
  }
  return out;
}
