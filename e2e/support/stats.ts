import type { Page } from 'playwright-core';

/*
 * Detailed WebRTC statistics of a page's current media path (through `globalThis.conclave.conference`),
 * for tests that look at the ICE path (TURN relay), DTLS-SRTP and loss recovery (NACK).
 */

export interface CandidateInfo {
  type: string;
  address: string;
  port: number;
  protocol: string;
  /** For a relay candidate: how this browser reaches the TURN server (udp, tcp, tls). */
  relayProtocol: string | undefined;
}

export interface PathDetails {
  local: CandidateInfo | undefined;
  remote: CandidateInfo | undefined;
  dtlsState: string | undefined;
  srtpCipher: string | undefined;
  inboundVideo: {
    framesDecoded: number;
    nackCount: number;
    packetsLost: number;
    packetsReceived: number;
  }[];
  outboundVideo: { nackCount: number; retransmittedPacketsSent: number }[];
}

export async function pathDetails(page: Page): Promise<PathDetails> {
  return page.evaluate(async () => {
    type Conf = { getStats(): Promise<RTCStatsReport | undefined> };
    const conference = (globalThis as { conclave?: { conference?: Conf } }).conclave?.conference;
    const report = await conference?.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    report?.forEach((s: Record<string, unknown>) => {
      byId.set(s.id as string, s);
    });
    const candidate = (id: unknown) => {
      const c = byId.get(id as string);
      if (!c) return undefined;
      return {
        type: String(c.candidateType),
        address: String(c.address ?? c.ip),
        port: Number(c.port),
        protocol: String(c.protocol),
        relayProtocol: c.relayProtocol === undefined ? undefined : String(c.relayProtocol),
      };
    };
    const out: PathDetails = {
      local: undefined,
      remote: undefined,
      dtlsState: undefined,
      srtpCipher: undefined,
      inboundVideo: [],
      outboundVideo: [],
    };
    for (const s of byId.values()) {
      if (s.type === 'transport' && s.selectedCandidatePairId) {
        const pair = byId.get(s.selectedCandidatePairId as string);
        out.local = candidate(pair?.localCandidateId);
        out.remote = candidate(pair?.remoteCandidateId);
        out.dtlsState = s.dtlsState as string | undefined;
        out.srtpCipher = s.srtpCipher as string | undefined;
      }
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        out.inboundVideo.push({
          framesDecoded: Number(s.framesDecoded ?? 0),
          nackCount: Number(s.nackCount ?? 0),
          packetsLost: Number(s.packetsLost ?? 0),
          packetsReceived: Number(s.packetsReceived ?? 0),
        });
      }
      if (s.type === 'outbound-rtp' && s.kind === 'video') {
        out.outboundVideo.push({
          nackCount: Number(s.nackCount ?? 0),
          retransmittedPacketsSent: Number(s.retransmittedPacketsSent ?? 0),
        });
      }
    }
    return out;
  });
}
