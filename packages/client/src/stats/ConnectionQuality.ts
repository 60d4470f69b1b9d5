/** How well a remote participant's media reaches this client, judged from WebRTC statistics. */
export type QualityLevel = 'good' | 'fair' | 'poor';

export interface QualityReading {
  level: QualityLevel;
  /** Share of this participant's packets lost since the previous reading, 0..1. */
  loss: number;
  /** Round trip of the media path in milliseconds (to the peer in P2P, to the SFU otherwise). */
  rttMs: number | undefined;
  /** Video frames decoded per second; undefined when no video comes. */
  fps: number | undefined;
  width: number | undefined;
  height: number | undefined;
}

/** The thresholds a person notices: choppy video, lag in conversation, broken-up sound. */
const POOR = { loss: 0.1, rttMs: 500, fps: 5 };
const FAIR = { loss: 0.03, rttMs: 250, fps: 12 };

type Stat = Record<string, unknown>;

interface Counters {
  received: number;
  lost: number;
  frames: number;
  at: number;
}

/**
 * Turns successive `getStats()` reports into a reading per remote participant. It keeps the last
 * counters of each participant, so loss and frame rate describe the last interval rather than the
 * whole call, and a participant who recovers shows it within one reading.
 */
export class ConnectionQuality {
  #previous = new Map<string, Counters>();

  /** `owners`: remote track id → participant id, to attribute each inbound stream. */
  read(
    report: RTCStatsReport,
    owners: ReadonlyMap<string, string>,
    nowMs: number,
  ): Map<string, QualityReading> {
    const stats: Stat[] = [];
    report.forEach((s: Stat) => {
      stats.push(s);
    });
    const rttMs = pathRtt(stats);
    const current = new Map<string, Counters & { width?: number; height?: number; fps?: number }>();
    for (const s of stats) {
      if (s.type !== 'inbound-rtp') continue;
      const participant = owners.get(String(s.trackIdentifier));
      if (!participant) continue;
      const entry = current.get(participant) ?? { received: 0, lost: 0, frames: 0, at: nowMs };
      entry.received += num(s.packetsReceived);
      entry.lost += Math.max(0, num(s.packetsLost));
      if (s.kind === 'video') {
        entry.frames += num(s.framesDecoded);
        entry.width = Math.max(entry.width ?? 0, num(s.frameWidth)) || undefined;
        entry.height = Math.max(entry.height ?? 0, num(s.frameHeight)) || undefined;
        entry.fps = (entry.fps ?? 0) + num(s.framesPerSecond);
      }
      current.set(participant, entry);
    }
    const readings = new Map<string, QualityReading>();
    for (const [participant, now] of current) {
      const before = this.#previous.get(participant);
      // Counters that went down belong to a new path (a mode switch): start the interval afresh.
      const fresh = !before || now.received < before.received || now.lost < before.lost;
      const received = fresh ? now.received : now.received - before.received;
      const lost = fresh ? now.lost : now.lost - before.lost;
      const loss = received + lost > 0 ? lost / (received + lost) : 0;
      const seconds = before && !fresh ? (now.at - before.at) / 1000 : 0;
      // Over the interval where there is one; the browser's own (smoothed) figure for a first reading.
      const fps =
        now.fps === undefined
          ? undefined
          : before && seconds > 0 && now.frames >= before.frames
            ? (now.frames - before.frames) / seconds
            : now.fps;
      readings.set(participant, {
        level: levelOf(loss, rttMs, fps),
        loss,
        rttMs,
        fps,
        width: now.width,
        height: now.height,
      });
    }
    this.#previous = new Map(
      [...current].map(([id, c]) => [id, { received: c.received, lost: c.lost, frames: c.frames, at: c.at }]),
    );
    return readings;
  }
}

export function levelOf(loss: number, rttMs: number | undefined, fps: number | undefined): QualityLevel {
  const rtt = rttMs ?? 0;
  if (loss >= POOR.loss || rtt >= POOR.rttMs || (fps !== undefined && fps < POOR.fps)) return 'poor';
  if (loss >= FAIR.loss || rtt >= FAIR.rttMs || (fps !== undefined && fps < FAIR.fps)) return 'fair';
  return 'good';
}

/** The selected candidate pair's current round trip (Chromium: via the transport; Firefox: on the pair). */
function pathRtt(stats: Stat[]): number | undefined {
  const byId = new Map(stats.map((s) => [String(s.id), s]));
  for (const s of stats) {
    const pair =
      s.type === 'transport' && s.selectedCandidatePairId
        ? byId.get(String(s.selectedCandidatePairId))
        : s.type === 'candidate-pair' && s.selected === true
          ? s
          : undefined;
    if (pair && typeof pair.currentRoundTripTime === 'number')
      return Math.round(pair.currentRoundTripTime * 1000);
  }
  return undefined;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
