import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { nodeOrigins } from './config/cluster.js';
import type { Config } from './config/schema.js';
import type { RoomDirectory } from './directory/RoomDirectory.js';
import { startDirectory } from './directory/startDirectory.js';
import { createHttpServer, type HealthStatus } from './http/app.js';
import { Metrics } from './http/metrics.js';
import { type MetricsServer, startMetricsServer } from './http/metricsServer.js';
import { iceServersFactory } from './ice/turn.js';
import {
  createLogger,
  errorFields,
  type Logger,
  type LoggerOptions,
  literal,
  Redactor,
} from './log/logger.js';
import { RecordingService, type RecordingServiceOptions } from './recording/RecordingService.js';
import { RoomRegistry } from './rooms/RoomRegistry.js';
import type { MediaEngine } from './sfu/MediaEngine.js';
import { registerMediaMetrics } from './sfu/metrics.js';
import { attachSignaling, type SignalingGateway } from './signaling/gateway.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly port: number;
  /** Where Prometheus metrics are served, when `metrics.enabled` (never on the public listener). */
  readonly metricsUrl: string | undefined;
  readonly rooms: RoomRegistry;
  /** The SFU, when enabled and its native library loaded. */
  readonly media: MediaEngine | undefined;
  /** Recording, retention and uploads, when `recording.enabled` (and the SFU runs). */
  readonly recording: RecordingService | undefined;
  /** This node's id in the cluster directory (random per start without `cluster.nodeId`). */
  readonly nodeId: string;
  readonly directory: RoomDirectory;
  /**
   * Stops starting new meetings here, waits up to `cluster.drainSeconds` for the meetings here to
   * end, moves the rest (their clients rejoin through their entry and land on another node),
   * then closes.
   */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logDestination?: LoggerOptions['destination'];
  /** Tests: clock and upload settings of the recording service. */
  recording?: Partial<Pick<RecordingServiceOptions, 'clock' | 'uploads' | 'sweepIntervalMs'>>;
}

const BUNDLED_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Composition root: builds every part from the config and starts listening. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = createLogger({
    level: config.log.level,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  warnAboutExposure(config, log);
  const redactor = new Redactor();
  const media = config.media.enabled ? await startMediaEngine(config, log) : undefined;
  // Recording taps the SFU; without one there is nothing to record (the sweeper still runs).
  const recording = config.recording.enabled
    ? await RecordingService.start({
        config: config.recording,
        log: log.child({ component: literal('recording') }),
        ...options.recording,
      })
    : undefined;
  const recordingPort = media ? recording : undefined;
  const clustered = config.cluster.redisUrl !== '';
  const listenHost = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const origins = nodeOrigins(config.cluster, `http://${listenHost}:${config.server.port}`);
  let status: HealthStatus = 'starting';
  // Bound below, once the server listens: the address in the directory is where browsers reach it.
  const self = { id: config.cluster.nodeId, url: config.cluster.publicUrl };
  let signaling: SignalingGateway | undefined;
  let rooms: RoomRegistry | undefined;
  const { directory, joinLimiter, passwordLimiter } = startDirectory(config, self, origins, {
    hasRoom: (key) => rooms?.has(key) ?? false,
    // The directory gave a meeting running here to another node: move it there, whole.
    events: { lost: (key) => signaling?.moveRoom(key) },
    log: log.child({ component: literal('directory') }),
  });
  rooms = new RoomRegistry({
    maxParticipants: config.rooms.maxParticipants,
    policy: { p2pEnabled: config.p2p.enabled, sfuAvailable: media !== undefined },
    log,
    redactor,
    lobbyByDefault: config.rooms.lobbyByDefault,
    chat: config.chat,
    media,
    backToP2PDelayMs: config.p2p.backToP2PDelay * 1000,
    recording: recordingPort,
    lifecycle: { opened: (key) => directory.hold(key), closed: (key) => directory.release(key) },
  });
  const metrics = new Metrics(rooms);
  if (clustered) metrics.registerCluster(config.cluster.nodeId, directory, () => status === 'draining');
  if (media) registerMediaMetrics(metrics.registry, media);
  const http = createHttpServer({
    webDir: config.web.dir || BUNDLED_WEB_DIR,
    frameAncestors: config.web.frameAncestors,
    health: () => ({
      status,
      ...(clustered ? { node: config.cluster.nodeId, directory: directory.state } : {}),
    }),
    connectOrigins: [
      // The browser exchanges its Dropbox PKCE code itself, so the token endpoint must be reachable.
      ...(recordingPort?.options.destinations.includes('dropbox')
        ? [new URL(config.recording.dropbox.tokenUrl).origin]
        : []),
      // A redirect sends the page's signalling to another node (docs/cluster.md).
      ...(clustered ? webSocketOrigins(origins) : []),
    ],
  });
  const sweep = setInterval(() => {
    joinLimiter.sweep();
    passwordLimiter.sweep();
  }, 60_000);
  sweep.unref();
  // Per join: each participant gets TURN credentials of its own (when TURN is configured).
  const iceServers = iceServersFactory({ stunServers: config.ice.stunServers, turn: config.turn });
  signaling = attachSignaling(http, {
    rooms,
    directory,
    joinLimiter,
    passwordLimiter,
    metrics,
    log: log.child({}),
    limits: config.limits,
    iceServers,
    heartbeatSeconds: config.signaling.heartbeatSeconds,
    helloTimeoutMs: config.signaling.helloTimeoutSeconds * 1000,
    socketsPerAddress: config.limits.socketsPerAddress,
    allowedOrigins: config.signaling.allowedOrigins,
    nodeOrigins: clustered ? origins : [],
    address: {
      trustProxy: config.server.trustProxy,
      proxyHops: config.server.proxyHops,
      ipv6PrefixLength: config.limits.ipv6PrefixLength,
    },
  });

  http.listen(config.server.port, config.server.host);
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const url = `http://${listenHost}:${port}`;
  self.url ||= url;
  let metricsServer: MetricsServer | undefined;
  if (config.metrics.enabled) {
    metrics.includeProcessMetrics();
    metricsServer = await startMetricsServer(metrics, config.metrics.host, config.metrics.port).catch(
      (err: unknown) => {
        http.close();
        throw err;
      },
    );
  }
  status = 'ok';
  directory.start();
  log.info('server.listening', { port });

  const gateway = signaling;
  const registry = rooms;
  let closing: Promise<void> | undefined;
  let draining: Promise<void> | undefined;
  const server: RunningServer = {
    url,
    port,
    metricsUrl: metricsServer?.url,
    rooms: registry,
    media,
    recording,
    nodeId: config.cluster.nodeId,
    directory,
    drain() {
      draining ??= (async () => {
        status = 'draining';
        directory.drain();
        log.info('server.draining', { rooms: registry.roomCount });
        const deadline = Date.now() + config.cluster.drainSeconds * 1000;
        while (registry.roomCount > 0 && Date.now() < deadline && !closing) {
          await new Promise((r) => setTimeout(r, 250));
        }
        log.info('server.drained', { moved: registry.roomCount });
        gateway.moveAll();
        await server.close();
      })();
      return draining;
    },
    close() {
      closing ??= (async () => {
        status = 'starting';
        clearInterval(sweep);
        gateway.close();
        registry.close();
        await directory.close();
        await recording?.close();
        media?.close();
        http.closeAllConnections();
        await Promise.all([
          new Promise<void>((resolve) => http.close(() => resolve())),
          metricsServer?.close(),
        ]);
        log.info('server.closed');
      })();
      return closing;
    },
  };
  return server;
}

/** CSP source expressions for both the page-style and the WebSocket form of each node origin. */
function webSocketOrigins(origins: readonly string[]): string[] {
  return origins.flatMap((o) => [o, o.replace(/^http/, 'ws')]);
}

/** The SFU; without it the server still serves two-person (P2P) meetings, so a load failure is a warning. */
async function startMediaEngine(config: Config, log: Logger): Promise<MediaEngine | undefined> {
  try {
    const { NdcEngine } = await import('./sfu/NdcEngine.js');
    return await NdcEngine.start(
      {
        port: config.media.port,
        bindAddress: config.media.bindAddress,
        announcedAddress: config.media.announcedAddress,
        maxVideoBitrate: config.media.maxVideoBitrate,
        connectTimeoutMs: config.media.connectTimeoutSeconds * 1000,
        lastN: config.media.lastN,
        simulcast: config.media.simulcast,
      },
      log.child({ component: literal('sfu') }),
    );
  } catch (err) {
    log.warn('sfu.unavailable', errorFields(err));
    return undefined;
  }
}

function warnAboutExposure(config: Config, log: Logger): void {
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(config.server.host);
  if (!loopback && !config.server.behindTlsProxy) {
    // PRIVACY P9: signalling must use TLS off localhost. Conclave speaks plain HTTP and expects a
    // TLS-terminating proxy in front; say so loudly rather than refuse, so local tests still work.
    log.warn('server.plaintext_exposed', { behindTlsProxy: false });
  }
  if (config.metrics.enabled && !['127.0.0.1', 'localhost', '::1'].includes(config.metrics.host)) {
    // Counts only, but a timeline of meeting activity: keep it off public networks.
    log.warn('metrics.exposed', { loopback: false });
  }
}
