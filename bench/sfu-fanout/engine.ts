import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLogger } from '../../packages/server/src/log/logger.js';
import type { MediaSession } from '../../packages/server/src/sfu/MediaEngine.js';
import { NdcEngine } from '../../packages/server/src/sfu/NdcEngine.js';

/*
 * The engine under test, in its own process (pinned to its own core by run.ts): one router, one
 * session per bot, signalling over the IPC channel. Reports its CPU time and counters on request.
 */

type Msg =
  | { type: 'open'; id: string }
  | { type: 'signal'; id: string; signal: Parameters<MediaSession['signal']>[0] }
  | { type: 'sample' }
  | { type: 'exit' };

const send = (m: unknown) => process.send?.(m);
const engine = await NdcEngine.start(
  {
    port: 0,
    bindAddress: '127.0.0.1',
    announcedAddress: '',
    maxVideoBitrate: 1_500_000,
    connectTimeoutMs: 60_000,
    simulcast: process.env.BENCH_SIMULCAST === '1',
  },
  createLogger({ level: 'silent' }),
);
const router = engine.createRouter({ dominantSpeaker: () => {} });
// How late the engine's event loop ran its timers since the previous sample: a stall here delays
// every packet that arrives meanwhile, so it shows whether a latency tail is the loop's own.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const sessions = new Map<string, MediaSession>();

process.on('message', (m: Msg) => {
  switch (m.type) {
    case 'open':
      sessions.set(
        m.id,
        router.openSession(m.id, {
          signal: (signal) => send({ type: 'signal', id: m.id, signal }),
          closed: () => {},
        }),
      );
      return;
    case 'signal':
      sessions.get(m.id)?.signal(m.signal);
      return;
    case 'sample': {
      const cpu = process.cpuUsage();
      send({
        type: 'sample',
        at: performance.now(),
        cpuMicros: cpu.user + cpu.system,
        stats: engine.stats(),
        rss: process.memoryUsage().rss,
        heap: process.memoryUsage().heapUsed,
        loopDelayMs: {
          p99: loopDelay.percentile(99) / 1e6,
          p999: loopDelay.percentile(99.9) / 1e6,
          max: loopDelay.max / 1e6,
        },
      });
      loopDelay.reset();
      return;
    }
    case 'exit':
      engine.close();
      process.exit(0);
  }
});
send({ type: 'ready' });
