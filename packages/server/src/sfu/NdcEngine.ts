import { createSocket } from 'node:dgram';
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
  ) {}

  /** Loads the native library and settles the UDP port; rejects if the library cannot load. */
  static async start(options: NdcEngineOptions, log: Logger): Promise<NdcEngine> {
    await import('node-datachannel');
    const port = options.port === 0 ? await freeUdpPort(options.bindAddress) : options.port;
    log.info('sfu.started', { port });
    return new NdcEngine({ ...options, port }, log);
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
  }
}

/** A UDP port that is free right now (bound and released); libdatachannel binds it on first use. */
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
