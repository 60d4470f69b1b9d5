import { z } from 'zod';
import { ClusterSection } from './cluster.js';

/*
 * The one configuration object. Every option has a default here, so code never checks for
 * `undefined`; `strictObject` rejects unknown keys so that a typo stops start-up instead of being
 * silently ignored. Defaults are private (PRIVACY P14): nothing that exposes data is on unless
 * the operator turns it on. Each option is documented in docs/configuration.md.
 */

const Port = z.number().int().min(0).max(65_535);

export const ServerSection = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: Port.default(8080),
    /** Read the client address from X-Forwarded-For (only behind a reverse proxy you control). */
    trustProxy: z.boolean().default(false),
    /**
     * With `trustProxy`: how many proxies of yours append to X-Forwarded-For. The client address is
     * the entry the outermost of them added, counted from the right; entries to its left are
     * whatever the client sent and are ignored.
     */
    proxyHops: z.number().int().min(1).max(16).default(1),
    /** Set when a TLS-terminating reverse proxy is in front; required to bind a non-loopback host (P9). */
    behindTlsProxy: z.boolean().default(false),
  })
  .prefault({});

export const LogSection = z
  .strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .prefault({});

export const RoomsSection = z
  .strictObject({
    /** Upper bound on participants per meeting; the media path may impose a lower one. */
    maxParticipants: z.number().int().min(2).max(1000).default(100),
    /** Every new meeting starts with its lobby on; the first joiner is in and is moderator. */
    lobbyByDefault: z.boolean().default(false),
  })
  .prefault({});

export const LimitsSection = z
  .strictObject({
    /** Join attempts allowed per client address per minute (PRIVACY P2). */
    joinsPerMinute: z.number().int().min(1).max(10_000).default(20),
    /** Join attempts a client address may make in a burst before the per-minute rate applies. */
    joinBurst: z.number().int().min(1).max(10_000).default(10),
    /** Largest accepted signalling frame, in bytes. */
    maxMessageBytes: z.number().int().min(1024).max(1_048_576).default(65_536),
    /** Sustained signalling messages per second per connection. */
    messagesPerSecond: z.number().int().min(1).max(10_000).default(50),
    /** Signalling messages a connection may send in a burst. */
    messageBurst: z.number().int().min(1).max(100_000).default(200),
    /** Invalid or rate-limited messages tolerated per connection per minute before it is closed. */
    abuseThreshold: z.number().int().min(1).max(10_000).default(20),
    /** Password attempts allowed per client address per minute (PRIVACY P4). */
    passwordAttemptsPerMinute: z.number().int().min(1).max(10_000).default(5),
    /** Password attempts a client address may make in a burst. */
    passwordBurst: z.number().int().min(1).max(10_000).default(5),
    /**
     * Signalling sockets one client address may hold open at once; further ones are refused with
     * HTTP 429 before the WebSocket opens. Each open socket may buffer up to `maxMessageBytes`.
     */
    socketsPerAddress: z.number().int().min(1).max(100_000).default(50),
    /**
     * IPv6 clients are counted by this prefix of their address for every per-address limit (joins,
     * passwords, sockets): one subscriber usually holds a whole /64 and could otherwise rotate
     * through its addresses. 128 counts each address alone.
     */
    ipv6PrefixLength: z.number().int().min(16).max(128).default(64),
  })
  .prefault({});

/** A web origin: scheme, host and optional port, nothing else (as browsers send it). */
const Origin = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.toLowerCase();
    } catch {
      return false;
    }
  },
  { message: 'must be an origin such as "https://meet.example.org" (scheme, host, optional port; no path)' },
);

export const SignalingSection = z
  .strictObject({
    /** Interval of WebSocket pings; a connection that misses one is dropped (so within 2 intervals). */
    heartbeatSeconds: z.number().min(1).max(300).default(5),
    /** A socket that has not said `hello` this long after opening is closed (close code 4011). */
    helloTimeoutSeconds: z.number().min(1).max(60).default(5),
    /**
     * Web origins besides the server's own whose pages may open a signalling socket (e.g. the
     * public origin when a proxy does not pass the Host header on). Empty: same origin only.
     */
    allowedOrigins: z.array(Origin).default([]),
  })
  .prefault({});

export const P2PSection = z
  .strictObject({
    /** Connect the two browsers of a two-person meeting directly. */
    enabled: z.boolean().default(true),
    /** Seconds a meeting that shrank to two stays on the SFU before going back to P2P (avoids flapping). */
    backToP2PDelay: z.number().min(0).max(3600).default(5),
  })
  .prefault({});

export const MediaSection = z
  .strictObject({
    /** Run the SFU (media engine) for meetings of three or more. */
    enabled: z.boolean().default(true),
    /** The one UDP port every SFU PeerConnection shares (ICE UDP mux); 0 picks a free port at start. */
    port: Port.default(10_000),
    /** Local address the media port binds to; empty for all interfaces. */
    bindAddress: z.string().default('127.0.0.1'),
    /** Address announced in ICE candidates instead of the bound one (server behind NAT); empty for none. */
    announcedAddress: z.string().default(''),
    /** Video bitrate (bit/s) the SFU invites each publisher to send, via REMB. */
    maxVideoBitrate: z.number().int().min(100_000).max(50_000_000).default(1_500_000),
    /** Seconds an SFU PeerConnection may take to connect before it is dropped. */
    connectTimeoutSeconds: z.number().min(1).max(300).default(20),
    /**
     * Last-N: forward video only from the N most recent dominant speakers (plus whoever each
     * participant pins); audio is always forwarded. 0 (the default) forwards everyone's video.
     */
    lastN: z.number().int().min(0).max(100).default(0),
    /**
     * Simulcast: the SFU asks each publisher for three video layers (full, 1/2 and 1/4 size) and
     * forwards to every participant the one that fits its tile size and bandwidth. A client that
     * answers with simulcast but never reports its layers' SSRCs is given one layer after 5 s (see
     * docs/sfu.md). Off: one layer per publisher, less encoding work in the browsers.
     */
    simulcast: z.boolean().default(true),
  })
  .prefault({});

const StunServer = z.string().regex(/^stuns?:/, 'must be a stun: or stuns: URL');

export const IceSection = z
  .strictObject({
    /**
     * STUN servers handed to clients. Empty by default: a third-party STUN server would learn every
     * participant's address (PRIVACY P8, P14).
     */
    stunServers: z.array(StunServer).default([]),
  })
  .prefault({});

const TurnUrl = z
  .string()
  .regex(/^turns?:[^\s]+$/, 'must be a turn: or turns: URL, e.g. "turn:turn.example.org:3478?transport=udp"');

export const TurnSection = z
  .strictObject({
    /**
     * TURN URLs handed to clients (UDP, TCP and TLS transports). Empty (the default) means no TURN
     * (PRIVACY P14: a relay sees every participant's address and the encrypted media's metadata).
     */
    urls: z.array(TurnUrl).default([]),
    /** The TURN REST API shared secret (coturn `static-auth-secret`); env CONCLAVE_TURN_SECRET. Never logged. */
    secret: z.string().default(''),
    /** Lifetime of the credentials given to each participant at join. */
    ttlSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .default(86_400),
  })
  .refine((turn) => turn.urls.length === 0 || turn.secret.length >= 16, {
    message:
      'turn.secret (or CONCLAVE_TURN_SECRET) of at least 16 characters is required when turn.urls is set',
    path: ['secret'],
  })
  .prefault({});

export const WebSection = z
  .strictObject({
    /** Directory of the built web client; empty means the one shipped with the server. */
    dir: z.string().default(''),
    /**
     * Origins whose pages may show meetings in an iframe and drive them through the embedding API
     * (docs/embedding.md): their scripts see what the user in the frame sees (names, mute states,
     * chat). Empty (the default): no site may frame Conclave (PRIVACY P14).
     */
    frameAncestors: z
      .array(
        // Exactly as browsers write an origin: the embedded page compares them with `event.origin`.
        Origin.refine((value) => value === value.toLowerCase() && !value.includes('*'), {
          message: 'must be one origin written in lower case, without wildcards',
        }),
      )
      .max(64)
      .default([])
      .refine((origins) => new Set(origins).size === origins.length, { message: 'lists an origin twice' }),
  })
  .prefault({});

export const ChatSection = z
  .strictObject({
    /** Longest chat message, in characters. */
    maxLength: z.number().int().min(1).max(10_000).default(2000),
    /** Show a meeting's earlier public messages to late joiners (PRIVACY P6: off by default). */
    historyForLateJoiners: z.boolean().default(false),
    /** Most public messages kept for late joiners, when that is on. */
    historyLimit: z.number().int().min(1).max(10_000).default(500),
    /** Sustained chat messages per second per participant. */
    messagesPerSecond: z.number().min(0.1).max(100).default(2),
    /** Chat messages a participant may send in a burst. */
    burst: z.number().int().min(1).max(1000).default(10),
  })
  .prefault({});

/*
 * Recording (docs/recording.md). Off by default: it is the only feature that writes media to disk
 * (PRIVACY P10, P14). Files and their upload jobs live only in `dataDir`, and never longer than
 * `retentionHours` after a recording ended (P13); going above 24 hours needs an explicit opt-in.
 */
export const RecordingSection = z
  .strictObject({
    /** Let moderators record meetings (needs the SFU). */
    enabled: z.boolean().default(false),
    /** Where recordings and their upload jobs wait for upload; created owner-only (0700). */
    dataDir: z.string().default(''),
    /** Hours after a recording ended when it is deleted whether or not it was uploaded. */
    retentionHours: z
      .number()
      .positive()
      .max(24 * 365)
      .default(24),
    /** Required to set `retentionHours` above 24 (PRIVACY P13: never silently upward). */
    allowLongerRetention: z.boolean().default(false),
    /** Compose one video (grid + mixed audio) with ffmpeg; otherwise, or if that fails, an archive. */
    compose: z.boolean().default(true),
    /** The ffmpeg binary used for composition. */
    ffmpegPath: z.string().min(1).default('ffmpeg'),
    /** Compositions run at once (each keeps about one core busy); the others wait their turn. */
    maxConcurrentCompositions: z.number().int().min(1).max(64).default(1),
    /** Longest recording, in minutes; a recording is stopped when it reaches it. */
    maxDurationMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(240),
    dropbox: z
      .strictObject({
        /** App key of the operator's Dropbox app (PKCE, no secret); empty turns Dropbox off. */
        appKey: z.string().default(''),
        /** Where the browser sends the user to authorize the app (OAuth 2 PKCE, in a popup). */
        authorizeUrl: z.url({ protocol: /^https?$/ }).default('https://www.dropbox.com/oauth2/authorize'),
        /** Where the browser exchanges the code for a token; its origin is added to the CSP's connect-src. */
        tokenUrl: z.url({ protocol: /^https?$/ }).default('https://api.dropboxapi.com/oauth2/token'),
      })
      .prefault({}),
    webdav: z
      .strictObject({
        /** Offer WebDAV destinations (Nextcloud and the like) given by the user. */
        enabled: z.boolean().default(true),
        /** Allow WebDAV URLs on loopback or private addresses (the server's own network); off by default. */
        allowPrivateAddresses: z.boolean().default(false),
      })
      .prefault({}),
    local: z
      .strictObject({
        /** A folder on the server where recordings may be delivered; empty (off) by default. */
        dir: z.string().default(''),
      })
      .prefault({}),
  })
  .prefault({})
  .superRefine((r, ctx) => {
    if (r.retentionHours > 24 && !r.allowLongerRetention) {
      ctx.addIssue({
        code: 'custom',
        path: ['retentionHours'],
        message: 'above 24 hours needs "recording.allowLongerRetention": true (PRIVACY P13)',
      });
    }
    if (r.enabled && !r.dataDir) {
      ctx.addIssue({ code: 'custom', path: ['dataDir'], message: 'required when recording is enabled' });
    }
  });

/*
 * Prometheus metrics (counts only, PRIVACY P7) on a listener of their own, never the public one:
 * even counts give a timeline of meeting activity, so they are off unless the operator wants them.
 */
export const MetricsSection = z
  .strictObject({
    /** Serve GET /metrics on `host`:`port`. */
    enabled: z.boolean().default(false),
    /** Address of the metrics listener; keep it on loopback or a private network. */
    host: z.string().min(1).default('127.0.0.1'),
    /** Port of the metrics listener (0 picks a free one). */
    port: Port.default(9464),
  })
  .prefault({});

export const ConfigSchema = z.strictObject({
  server: ServerSection,
  log: LogSection,
  rooms: RoomsSection,
  chat: ChatSection,
  limits: LimitsSection,
  signaling: SignalingSection,
  p2p: P2PSection,
  media: MediaSection,
  ice: IceSection,
  turn: TurnSection,
  web: WebSection,
  recording: RecordingSection,
  metrics: MetricsSection,
  cluster: ClusterSection,
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
