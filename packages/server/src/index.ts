export { ConfigError, loadConfig, parseConfig } from './config/load.js';
export type { Config, ConfigInput } from './config/schema.js';
export { type RunningServer, type StartOptions, startServer } from './server.js';
export type { MediaTap, MediaTapHandle } from './sfu/MediaEngine.js';
