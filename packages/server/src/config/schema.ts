import { z } from 'zod';

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
  })
  .prefault({});

export const SignalingSection = z
  .strictObject({
    /** Interval of WebSocket pings; a connection that misses one is dropped (so within 2 intervals). */
    heartbeatSeconds: z.number().min(1).max(300).default(5),
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

export const WebSection = z
  .strictObject({
    /** Directory of the built web client; empty means the one shipped with the server. */
    dir: z.string().default(''),
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
  web: WebSection,
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
