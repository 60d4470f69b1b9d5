import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Config } from './config/schema.js';
import { createHttpServer } from './http/app.js';
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
import { attachSignaling } from './signaling/gateway.js';
import { KeyedRateLimiter } from './util/rateLimit.js';

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
  const rooms = new RoomRegistry({
    maxParticipants: config.rooms.maxParticipants,
    policy: { p2pEnabled: config.p2p.enabled, sfuAvailable: media !== undefined },
    log,
    redactor,
    lobbyByDefault: config.rooms.lobbyByDefault,
    chat: config.chat,
    media,
    backToP2PDelayMs: config.p2p.backToP2PDelay * 1000,
    recording: recordingPort,
  });
  const metrics = new Metrics(rooms);
  if (media) registerMediaMetrics(metrics.registry, media);
  let ready = false;
  const http = createHttpServer({
    webDir: config.web.dir || BUNDLED_WEB_DIR,
    isReady: () => ready,
    // The browser exchanges its Dropbox PKCE code itself, so the token endpoint must be reachable.
    connectOrigins: recordingPort?.options.destinations.includes('dropbox')
      ? [new URL(config.recording.dropbox.tokenUrl).origin]
      : [],
  });
  const joinLimiter = new KeyedRateLimiter({
    capacity: config.limits.joinBurst,
    perSecond: config.limits.joinsPerMinute / 60,
  });
  const passwordLimiter = new KeyedRateLimiter({
    capacity: config.limits.passwordBurst,
    perSecond: config.limits.passwordAttemptsPerMinute / 60,
  });
  const sweep = setInterval(() => {
    joinLimiter.sweep();
    passwordLimiter.sweep();
  }, 60_000);
  sweep.unref();
  // Per join: each participant gets TURN credentials of its own (when TURN is configured).
  const iceServers = iceServersFactory({ stunServers: config.ice.stunServers, turn: config.turn });
  const signaling = attachSignaling(http, {
    rooms,
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
    address: {
      trustProxy: config.server.trustProxy,
      proxyHops: config.server.proxyHops,
      ipv6PrefixLength: config.limits.ipv6PrefixLength,
    },
  });

  http.listen(config.server.port, config.server.host);
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const url = `http://${host}:${port}`;
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
  ready = true;
  log.info('server.listening', { port });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    metricsUrl: metricsServer?.url,
    rooms,
    media,
    recording,
    close() {
      closing ??= (async () => {
        ready = false;
        clearInterval(sweep);
        signaling.close();
        rooms.close();
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
