import type { Evaluates } from './MeetingPage.js';

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

export async function pathDetails(page: Evaluates): Promise<PathDetails> {
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

/** What a page's RTCP peers told it, per stream: sender reports about what it receives, receiver reports about what it sends. */
export interface RtcpReports {
  /** One per inbound-rtp stream: the remote-outbound-rtp built from that stream's sender reports, if any. */
  received: {
    kind: string;
    packetsReceived: number;
    senderReport?: { remoteTimestamp: number; packetsSent: number; reportsSent: number };
  }[];
  /**
   * One per outbound-rtp stream: the remote-inbound-rtp built from receiver reports about it, if
   * any. `active` is false for a simulcast layer the publisher has paused (nothing to report on).
   */
  sent: {
    kind: string;
    active: boolean;
    receiverReport?: { roundTripTime: number | undefined; fractionLost: number };
  }[];
}

export async function rtcpReports(page: Evaluates): Promise<RtcpReports> {
  return page.evaluate(async () => {
    type Conf = { getStats(): Promise<RTCStatsReport | undefined> };
    const conference = (globalThis as { conclave?: { conference?: Conf } }).conclave?.conference;
    const report = await conference?.getStats();
    const all: Record<string, unknown>[] = [];
    report?.forEach((s: Record<string, unknown>) => {
      all.push(s);
    });
    const out: RtcpReports = { received: [], sent: [] };
    for (const s of all) {
      if (s.type === 'inbound-rtp') {
        const sr = all.find((r) => r.type === 'remote-outbound-rtp' && r.localId === s.id);
        out.received.push({
          kind: String(s.kind),
          packetsReceived: Number(s.packetsReceived ?? 0),
          ...(sr
            ? {
                senderReport: {
                  remoteTimestamp: Number(sr.remoteTimestamp),
                  packetsSent: Number(sr.packetsSent ?? 0),
                  reportsSent: Number(sr.reportsSent ?? 0),
                },
              }
            : {}),
        });
      }
      if (s.type === 'outbound-rtp') {
        const rr = all.find((r) => r.type === 'remote-inbound-rtp' && r.localId === s.id);
        out.sent.push({
          kind: String(s.kind),
          active: s.active !== false,
          ...(rr
            ? {
                receiverReport: {
                  roundTripTime: rr.roundTripTime === undefined ? undefined : Number(rr.roundTripTime),
                  fractionLost: Number(rr.fractionLost ?? 0),
                },
              }
            : {}),
        });
      }
    }
    return out;
  });
}
