/* Real servers on 127.0.0.1 that stand in for what the tests cannot reach or must watch. */
export {
  type ClusterJoin,
  joinVia,
  nodesAgree,
  startNode,
  TEST_CLUSTER_SECRET,
} from './cluster.js';
export {
  type DropboxOAuthOptions,
  type DropboxOAuthStandIn,
  startDropboxOAuthStandIn,
} from './dropboxOAuthStandIn.js';
export { type DropboxStandIn, type DropboxStandInOptions, startDropboxStandIn } from './dropboxStandIn.js';
export { startRedis, type TestRedis } from './redisServer.js';
export { type SignallingProxy, startSignallingProxy } from './signallingProxy.js';
export { startTurnServer, TURNSERVER, type TurnServer } from './turnServer.js';
export { startWebDavServer, type WebDavServer } from './webdavServer.js';
