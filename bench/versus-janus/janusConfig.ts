import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Janus configuration written by the bench, never taken from /etc/janus: the core, the VideoRoom
 * plugin (one room) and the WebSocket transport, in a temp dir that `remove()` deletes. Only the
 * two modules the bench needs are loaded: Janus loads every library in its plugin and transport
 * folders, so those folders are temp dirs holding one symlink each to Debian's build.
 */

/** Where Debian's janus package installs its modules. */
const MODULES = '/usr/lib/x86_64-linux-gnu/janus';

export const JANUS_ROOM = 1;

export interface JanusConfig {
  dir: string;
  /** The core configuration file (`janus -C`). */
  coreFile: string;
  wsPort: number;
  /** The UDP ports Janus binds its PeerConnections to, inclusive. */
  rtpPorts: readonly [number, number];
  remove(): void;
}

export interface JanusConfigOptions {
  /** The one address Janus gathers ICE candidates on (not a loopback interface's, see below). */
  address: string;
  wsPort: number;
  rtpPorts: readonly [number, number];
  /** Highest number of publishers in the room. */
  publishers: number;
  /** 0: Janus's default, a thread per handle; N: `event_loops = N` shared loops. */
  eventLoops: number;
  /** The video bitrate cap Janus asks publishers for (REMB), as Conclave's media.maxVideoBitrate. */
  bitrate: number;
}

export function writeJanusConfig(options: JanusConfigOptions): JanusConfig {
  const dir = mkdtempSync(join(tmpdir(), 'conclave-janus-'));
  const conf = join(dir, 'conf');
  const plugins = join(dir, 'plugins');
  const transports = join(dir, 'transports');
  const none = join(dir, 'none');
  for (const d of [conf, plugins, transports, none]) mkdirSync(d);
  symlinkSync(join(MODULES, 'plugins', 'libjanus_videoroom.so'), join(plugins, 'libjanus_videoroom.so'));
  symlinkSync(
    join(MODULES, 'transports', 'libjanus_websockets.so'),
    join(transports, 'libjanus_websockets.so'),
  );
  const [low, high] = options.rtpPorts;

  const coreFile = join(conf, 'janus.jcfg');
  writeFileSync(
    coreFile,
    `general: {
  configs_folder = "${conf}"
  plugins_folder = "${plugins}"
  transports_folder = "${transports}"
  events_folder = "${none}"
  loggers_folder = "${none}"
  # 3: warnings and errors only (Janus logs every session at 4).
  debug_level = 3
  session_timeout = 60
  hide_dependencies = true${options.eventLoops ? `\n  event_loops = ${options.eventLoops}` : ''}
}
media: {
  rtp_port_range = "${low}-${high}"
  ipv6 = false
}
nat: {
  # Janus gathers no candidate on a loopback interface (ice.c skips IFF_LOOPBACK), so the
  # bench's namespace has a veth pair with both ends inside it: this address is Janus's only
  # candidate. No STUN, no TURN, no NAT mapping.
  ice_enforce_list = "${options.address}"
  nice_debug = false
}
plugins: {
}
transports: {
}
events: {
  broadcast = false
}
loggers: {
}
`,
  );

  // Simulcast and SVC are off unless a publisher offers them; the bots offer one VP8 stream.
  writeFileSync(
    join(conf, 'janus.plugin.videoroom.jcfg'),
    `general: {
}
room-${JANUS_ROOM}: {
  description = "bench"
  publishers = ${options.publishers}
  bitrate = ${options.bitrate}
  audiocodec = "opus"
  videocodec = "vp8"
  notify_joining = false
  record = false
}
`,
  );

  writeFileSync(
    join(conf, 'janus.transport.websockets.jcfg'),
    `general: {
  json = "plain"
  ws = true
  ws_port = ${options.wsPort}
  ws_ip = "127.0.0.1"
  wss = false
}
admin: {
  admin_ws = false
  admin_wss = false
}
`,
  );

  return {
    dir,
    coreFile,
    wsPort: options.wsPort,
    rtpPorts: options.rtpPorts,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
