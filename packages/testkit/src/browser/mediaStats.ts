import type { Evaluates } from './MeetingPage.js';

export interface InboundVideo {
  framesDecoded: number;
  frameWidth: number;
}

export interface SelectedPair {
  local: { address: string; port: number; type: string };
  remote: { address: string; port: number; type: string };
}

/**
 * Reads the current media path's stats through the page's `globalThis.conclave.conference`, in
 * Chromium or Firefox.
 */
export async function mediaStats(
  page: Evaluates,
): Promise<{ video: InboundVideo[]; audioPackets: number; pair?: SelectedPair }> {
  return page.evaluate(async () => {
    type Conf = { getStats(): Promise<RTCStatsReport | undefined> };
    const conference = (globalThis as { conclave?: { conference?: Conf } }).conclave?.conference;
    const report = await conference?.getStats();
    const video: { framesDecoded: number; frameWidth: number }[] = [];
    let audioPackets = 0;
    let pair: SelectedPair | undefined;
    if (!report) return { video, audioPackets };
    const byId = new Map<string, Record<string, unknown>>();
    report.forEach((s: Record<string, unknown>) => {
      byId.set(s.id as string, s);
    });
    const candidate = (id: unknown) => {
      const c = byId.get(id as string) ?? {};
      return { address: String(c.address ?? c.ip), port: Number(c.port), type: String(c.candidateType) };
    };
    for (const s of byId.values()) {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        video.push({ framesDecoded: Number(s.framesDecoded ?? 0), frameWidth: Number(s.frameWidth ?? 0) });
      }
      if (s.type === 'inbound-rtp' && s.kind === 'audio') audioPackets += Number(s.packetsReceived ?? 0);
      if (s.type === 'transport' && s.selectedCandidatePairId) {
        const p = byId.get(s.selectedCandidatePairId as string);
        if (p) pair = { local: candidate(p.localCandidateId), remote: candidate(p.remoteCandidateId) };
      }
      // Firefox reports no transport; it marks the pair in use on the candidate-pair itself.
      if (s.type === 'candidate-pair' && s.selected === true && !pair) {
        pair = { local: candidate(s.localCandidateId), remote: candidate(s.remoteCandidateId) };
      }
    }
    return { video, audioPackets, ...(pair ? { pair } : {}) };
  });
}
