import { createSocket } from 'node:dgram';
import type { IceUdpMuxListener } from 'node-datachannel';
import type { Logger } from '../log/logger.js';
import {
  emptyStats,
  type MediaEngine,
  type MediaEngineStats,
  type MediaRouter,
  type MediaRouterEvents,
} from './MediaEngine.js';
import { SfuRouter } from './SfuRouter.js';

export interface NdcEngineOptions {
  /** UDP port shared by every PeerConnection (ICE UDP mux); 0 picks a free one at start. */
  port: number;
  /** Local address to bind; empty for all interfaces. */
  bindAddress: string;
  /** Address put in host candidates instead of the bound one (server behind NAT); empty for none. */
  announcedAddress: string;
  maxVideoBitrate: number;
  connectTimeoutMs: number;
  /** Ask Chromium publishers for three simulcast layers (config `media.simulcast`). */
  simulcast?: boolean;
  /** Last-N (video from the N most recent dominant speakers plus pinned); 0 or absent = off. */
  lastN?: number;
}

/**
 * The SFU on node-datachannel (libdatachannel): full ICE on one UDP port for everyone, DTLS-SRTP
 * terminated per participant, RTP forwarded in JavaScript (see docs/sfu.md for why and how).
 * Packets live only in memory, in short per-stream caches (PRIVACY P10).
 */
export class NdcEngine implements MediaEngine {
  readonly #routers = new Set<SfuRouter>();
  readonly #stats = emptyStats();
  #closed = false;

  private constructor(
    readonly options: NdcEngineOptions,
    private readonly log: Logger,
    /** Holds the media port for the engine's lifetime (see start). */
    private readonly portHolder: IceUdpMuxListener,
  ) {}

  /**
   * Loads the native library, settles the UDP port and binds it; rejects if the library cannot
   * load or the port is taken.
   *
   * libjuice shares one socket between every PeerConnection on the port and closes it when the
   * last one goes; a PeerConnection created while that happens cannot bind the port, and the
   * library throws from a native thread, which aborts the whole process (seen as "terminate
   * called … Failed to gather local ICE candidates" when a meeting went 3 → 2 → 3 in
   * bench/mode-switch). An ICE UDP mux listener on the port keeps that socket open from start
   * to close, so the count of PeerConnections never decides its life. Its callback for unknown
   * STUN requests is left unset: they are dropped in the native code.
   */
  static async start(options: NdcEngineOptions, log: Logger): Promise<NdcEngine> {
    const ndc = (await import('node-datachannel')).default;
    const port = options.port === 0 ? await freeUdpPort(options.bindAddress) : options.port;
    const portHolder = new ndc.IceUdpMuxListener(port, options.bindAddress || undefined);
    log.info('sfu.started', { port });
    return new NdcEngine({ ...options, port }, log, portHolder);
  }

  get port(): number {
    return this.options.port;
  }

  createRouter(events: MediaRouterEvents): MediaRouter {
    if (this.#closed) throw new Error('engine closed');
    const router = new SfuRouter(
      events,
      {
        ...this.options,
        stats: this.#stats,
        log: this.log,
        onClosed: (r) => this.#routers.delete(r),
      },
      this.log,
    );
    this.#routers.add(router);
    return router;
  }

  stats(): MediaEngineStats {
    return { ...this.#stats, dropped: { ...this.#stats.dropped } };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const router of [...this.#routers]) router.close();
    this.portHolder.stop();
  }
}

/** A UDP port that is free right now (bound and released), for the engine to bind at once. */
async function freeUdpPort(address: string): Promise<number> {
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address || undefined, () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
