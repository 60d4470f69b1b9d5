import { Counter, Gauge, type Registry } from 'prom-client';
import type { DropReason, MediaEngine, MediaEngineStats } from './MediaEngine.js';

/**
 * The media engine's counters in /metrics. Counts only (PRIVACY P7): the one label, `reason`,
 * takes values from the engine's closed set of drop reasons.
 */
export function registerMediaMetrics(registry: Registry, engine: MediaEngine): void {
  const counters: [keyof Omit<MediaEngineStats, 'sessions' | 'dropped'>, string, string][] = [
    ['rtpReceived', 'conclave_sfu_rtp_received_total', 'RTP packets received from publishers.'],
    ['rtpForwarded', 'conclave_sfu_rtp_forwarded_total', 'RTP packets forwarded to subscribers.'],
    ['rtcpReceived', 'conclave_sfu_rtcp_received_total', 'RTCP packets received.'],
    ['nacksReceived', 'conclave_sfu_nacked_packets_total', 'Packets subscribers asked to be retransmitted.'],
    ['retransmitted', 'conclave_sfu_retransmitted_total', 'Packets retransmitted from the cache.'],
    ['nackMisses', 'conclave_sfu_nack_misses_total', 'NACKed packets no longer in the cache.'],
    [
      'nacksSent',
      'conclave_sfu_upstream_nacked_packets_total',
      'Packets the SFU asked publishers to retransmit.',
    ],
    [
      'upstreamLost',
      'conclave_sfu_upstream_lost_packets_total',
      'Packets asked of publishers that never came (a keyframe is requested).',
    ],
    ['keyframeRequests', 'conclave_sfu_keyframe_requests_total', 'Keyframe requests sent to publishers.'],
    ['receiverReports', 'conclave_sfu_receiver_reports_total', 'RTCP receiver reports sent to publishers.'],
    [
      'rembReceived',
      'conclave_sfu_remb_received_total',
      "Downlink estimates (REMB) read from subscribers' RTCP.",
    ],
    [
      'senderReportsRelayed',
      'conclave_sfu_sender_reports_relayed_total',
      "Publishers' sender reports passed on to subscribers.",
    ],
    [
      'sessionsFailed',
      'conclave_sfu_sessions_failed_total',
      'SFU sessions that ended on their own (ICE/DTLS failure, consent lost, connect timeout, bad signalling); the room opens a new one.',
    ],
    [
      'simulcastFallbacks',
      'conclave_sfu_simulcast_fallbacks_total',
      'Publishers asked for one video layer because they answered with simulcast but never reported its SSRCs.',
    ],
  ];
  for (const [key, name, help] of counters) {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(engine.stats()[key]);
      },
    });
  }
  new Counter({
    name: 'conclave_sfu_dropped_total',
    help: 'Packets the SFU dropped, by reason (malformed, unknown payload type, oversized, rate-limited NACKs, stale).',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      const dropped = engine.stats().dropped;
      for (const reason of Object.keys(dropped) as DropReason[]) this.inc({ reason }, dropped[reason]);
    },
  });
  new Gauge({
    name: 'conclave_sfu_sessions',
    help: 'Open SFU PeerConnections.',
    registers: [registry],
    collect() {
      this.set(engine.stats().sessions);
    },
  });
}
