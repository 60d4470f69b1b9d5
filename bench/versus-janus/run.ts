import { readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { measure, type RunFigures, stopAllRuns } from './measure.js';
import { printSaturation } from './saturation.js';
import type { Scenario } from './scenario.js';
import { parseServer, stopAllServers } from './servers.js';
import { printTable } from './table.js';

/*
 * bench/versus-janus: Conclave's SFU and Janus's VideoRoom (Debian's janus 1.1.2) side by side, on
 * the same synthetic node-datachannel bots, one server at a time on the same core. Run it with
 * `npm run bench:versus-janus` (bench/versus-janus/run.sh: installs janus and tcpdump, makes the
 * network namespace, pins the bots to core 1). For every scenario the two servers alternate,
 * Conclave, Janus, Conclave, Janus…, so that machine noise falls on both.
 *
 *   --scenarios 1x10,1x30,1x60,4x4,8x8   1xN: one publisher, N receive-only bots; MxM: M bots publish and receive each other
 *   --reps 3                            runs per server and scenario
 *   --video-pps 300 --audio-pps 50 --video-bytes 1000 --tick-ms 5   (--video-pps 300,1000,2000: each rate in turn)
 *   --warmup 4 --seconds 8 --pcap-seconds 4
 *   --servers conclave,janus   (janus:N: Janus with event_loops = N)  --core 0  --address 10.201.0.1  --json FILE
 *   --table a.json,b.json   only print the summary of runs saved with --json
 *   --perf DIR   also record each server with `perf record -g` (a last window of --seconds, after
 *                the others) into DIR/<server>-<scenario>.data, and write DIR/…data.txt beside it:
 *                self time by category, the kernel's entry points inclusive, threads, top 40 (perf.ts)
 *   --nice N     server and bots at nice N (e.g. -10; root): other work on the shared machine then
 *                cannot cap either on its core (a saturation ramp needs the server's whole core)
 *   --drain K    1xN: only K subscribers count packets in JavaScript, the others drain (SyntheticPeer),
 *                so the bots' one core can offer a server more than it could count; forwarded rate
 *                from the kernel's UDP counters (kernel.ts). For the saturation ramp, e.g.
 *                --scenarios 1x60 --video-pps 300,1000,2000 --drain 2 --pcap-seconds 0
 */

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
};
const num = (name: string, fallback: number) => Number(flag(name, String(fallback)));

// Each scenario at each video packet rate (a list ramps the load: where does each server saturate?).
const rates = flag('video-pps', '300').split(',').map(Number);
const counted = flag('drain', '') ? num('drain', 0) : Number.POSITIVE_INFINITY;
const scenarios: Scenario[] = flag('scenarios', '1x10,1x30,1x60,4x4,8x8')
  .split(',')
  .flatMap((spec) => {
    const [a, b] = spec.split('x').map(Number) as [number, number];
    const mesh = a > 1;
    if (mesh && a !== b) throw new Error(`--scenarios: ${spec} is neither 1xN nor MxM`);
    const label = mesh ? `${a} × ${a}` : `1 → ${b}`;
    return rates.map((videoPps) => ({
      label: rates.length > 1 ? `${label} @ ${videoPps}` : label,
      publishers: a,
      subscribers: mesh ? 0 : b,
      mesh,
      videoPps,
      counted,
    }));
  });
const servers = flag('servers', 'conclave,janus').split(',').map(parseServer);
const reps = num('reps', 3);
const options = {
  shape: {
    audioPps: num('audio-pps', 50),
    videoBytes: num('video-bytes', 1000),
    tickMs: num('tick-ms', 5),
  },
  core: num('core', 0),
  nice: num('nice', 0),
  address: flag('address', '10.201.0.1'),
  maxVideoBitrate: 2_500_000,
  warmupSeconds: num('warmup', 4),
  seconds: num('seconds', 8),
  pcapSeconds: num('pcap-seconds', 4),
  ...(flag('perf', '') ? { perfDir: flag('perf', '') } : {}),
};
const jsonPath = flag('json', '');
// The bots' threads (libdatachannel's, created from here on) inherit this process's nice value.
if (options.nice) setPriority(options.nice);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([stopAllRuns(), stopAllServers()]).finally(() => process.exit(130));
  });
}

// --table a.json,b.json: print the summary of runs saved with --json (measured in several goes).
const saved = flag('table', '');
if (saved) {
  const all = saved
    .split(',')
    .flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as { runs: RunFigures[] }).runs);
  printTable(all);
  printSaturation(all);
  process.exit(0);
}

/** The 1, 5 and 15-minute load averages: how busy the shared machine was. */
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const runs: (RunFigures & { load: string })[] = [];
for (const scenario of scenarios) {
  for (let rep = 0; rep < reps; rep++) {
    for (const server of servers) {
      const load = loadavg();
      process.stderr.write(`${scenario.label}, ${server.label}, run ${rep + 1}/${reps} (load ${load})… `);
      const figures = { ...(await measure(server, scenario, options)), load };
      runs.push(figures);
      process.stderr.write(`${figures.usPerPacket} µs/pkt, ${figures.forwardedPps} pkt/s\n`);
      if (figures.profile)
        process.stderr.write(
          `  perf: ${Object.entries(figures.profile)
            .sort((a, b) => b[1] - a[1])
            .map(([c, p]) => `${c} ${p} %`)
            .join(', ')}\n`,
        );
      console.log(JSON.stringify(figures));
    }
  }
}
if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ options, runs }, null, 2));
printTable(runs);
printSaturation(runs);
process.exit(0);
