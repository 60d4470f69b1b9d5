/*
 * @conclave/testkit: the test support of every Conclave test and bench, imported by name. Servers
 * on port 0 with captured logs (in this process or as a child process), a protocol client, waits,
 * processes, the loopback namespace (with a traffic cap and a UDP delay relay) and the teardown
 * checks. Heavier parts have their own entry points: `/browser` (Chromium), `/wrtc` and `/ndc`
 * (WebRTC peers), `/standins` (WebDAV, Dropbox, coturn, a signalling proxy), `/rtp` (synthetic
 * RTP), `/e2ee` (independently derived keys).
 */
export {
  type CheckOptions,
  leftoversSince,
  type Snapshot,
  settledSnapshot,
  snapshot,
} from './checks/leftovers.js';
export { type TempDir, tempDir } from './fs/tempDir.js';
export {
  addIptablesRule,
  type IptablesRule,
  interfaces,
  iptables,
  onlyLoopback,
  requireLoopbackNamespace,
} from './net/namespace.js';
export { accepts, freeTcpPort } from './net/ports.js';
export { capUdpTo, type TrafficCap, type TrafficCapOptions } from './net/trafficCap.js';
export {
  startUdpDelayRelay,
  type UdpDelayRelay,
  type UdpDelayRelayOptions,
  type UdpDelayRelayStats,
  type UdpEndpoint,
} from './net/udpDelayRelay.js';
export {
  alive,
  descendants,
  type ProcessInfo,
  processTree,
  processTreeCpuSeconds,
} from './process/processTree.js';
export { downlinkEstimatesArrived } from './server/downlinkEstimates.js';
export {
  type InstrumentedServer,
  type ServerStats,
  startInstrumentedServer,
} from './server/instrumentedServer.js';
export { joinWithoutMedia } from './server/joinWithoutMedia.js';
export { type ServerProcess, type SpawnOptions, spawnServer } from './server/spawnServer.js';
export { startTestServer, type TestServer, type TestServerOptions } from './server/startTestServer.js';
export { type HasWsUrl, TestClient } from './server/TestClient.js';
export { type TestConfig, testConfig } from './server/testConfig.js';
export { snapshotWebDir, standInWebDir, type Ui } from './server/webDir.js';
export { eventually, until } from './wait/until.js';
