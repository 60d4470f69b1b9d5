import type { RunFigures } from './measure.js';

/*
 * The summary: per scenario, each server's median over its runs (µs per packet also with its
 * min–max, to show the noise), then the ratio Conclave / Janus of the medians. Markdown, so it
 * can go into BENCHMARKS.md as printed.
 */

type Figure = (r: RunFigures) => number;

/** Of the runs that have the figure (null in JSON or NaN: not measured in that run); NaN if none. */
const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const COLUMNS: { title: string; figure: Figure; digits: number }[] = [
  { title: 'fwd pkt/s', figure: (r) => r.forwardedPps, digits: 0 },
  { title: 'CPU (1 core)', figure: (r) => r.cpuPercent, digits: 1 },
  { title: 'µs / fwd pkt', figure: (r) => r.usPerPacket, digits: 2 },
  { title: '≈ pkt/s per core (extrapolated)', figure: (r) => r.saturationPps, digits: 0 },
  { title: 'bots CPU', figure: (r) => r.botCpuPercent, digits: 0 },
  // No subscriber counted (--drain 0; no latencies either): no loss figure.
  { title: 'loss %', figure: (r) => (Number.isFinite(r.botP50) ? r.lossPercent : Number.NaN), digits: 3 },
  { title: 'added p50 ms', figure: (r) => r.kernelP50, digits: 2 },
  { title: 'added p99 ms', figure: (r) => r.kernelP99, digits: 2 },
  { title: 'bot→bot p50 ms', figure: (r) => r.botP50, digits: 2 },
  { title: 'bot→bot p99 ms', figure: (r) => r.botP99, digits: 2 },
  { title: 'RSS / subscriber MiB', figure: (r) => r.rssPerSubscriberMiB, digits: 2 },
  { title: 'RSS loaded MiB', figure: (r) => lessYoung(r), digits: 1 },
];

/** RSS with the scenario's bots, after GC, less V8's young generation (Conclave; see gcOnSignal.mjs). */
const lessYoung = (r: RunFigures) => r.rssMiB - (r.youngMiB?.[1] ?? 0);

export function printTable(runs: RunFigures[]): void {
  const servers = [...new Set(runs.map((r) => r.server))];
  const labels = new Map(runs.map((r) => [r.server, r.label]));
  const lines = [
    `| scenario | server | runs | ${COLUMNS.map((c) => c.title).join(' | ')} | µs / fwd pkt min–max |`,
    `|---|---|---|${COLUMNS.map(() => '---|').join('')}---|`,
  ];
  for (const label of new Set(runs.map((r) => r.scenario))) {
    const medians = new Map<string, number[]>();
    for (const server of servers) {
      const mine = runs.filter((r) => r.server === server && r.scenario === label);
      if (!mine.length) continue;
      const values = COLUMNS.map((c) => median(mine.map(c.figure)));
      medians.set(server, values);
      const us = mine.map((r) => r.usPerPacket);
      lines.push(
        `| ${label} | ${labels.get(server)} | ${mine.length} | ${values
          .map((v, i) => format(v, COLUMNS[i]?.digits ?? 2))
          .join(' | ')} | ${Math.min(...us).toFixed(2)}–${Math.max(...us).toFixed(2)} |`,
      );
    }
    const c = medians.get('conclave');
    for (const [server, j] of medians) {
      if (!c || server === 'conclave') continue;
      const ratios = c.map((v, i) => ratio(v, j[i] as number));
      lines.push(`| ${label} | **Conclave / ${labels.get(server)}** | | ${ratios.join(' | ')} | |`);
    }
  }
  console.log(lines.join('\n'));
  printMemorySlope(runs, servers, labels);
}

/**
 * Memory per subscriber as the slope of loaded RSS over the 1 → N scenarios (least squares on the
 * per-scenario medians): steadier than each run's difference to its primer call, which a few MiB
 * that V8 or malloc hand back between the two readings can swamp at N = 10.
 */
function printMemorySlope(runs: RunFigures[], servers: string[], labels: Map<string, string>): void {
  const slopes: string[] = [];
  for (const server of servers) {
    const points: [number, number][] = [];
    for (const label of new Set(runs.map((r) => r.scenario))) {
      const n = /^1 → (\d+)$/.exec(label)?.[1];
      const mine = runs.filter((r) => r.server === server && r.scenario === label);
      if (n && mine.length) points.push([Number(n), median(mine.map(lessYoung))]);
    }
    if (points.length < 2) continue;
    const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
    const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
    const slope =
      points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) /
      points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
    slopes.push(`${labels.get(server)} ${slope.toFixed(3)} MiB (N = ${points.map(([x]) => x).join(', ')})`);
  }
  if (slopes.length) console.log(`\nRSS per subscriber, slope over 1 → N: ${slopes.join('; ')}`);
}

function format(v: number, digits: number): string {
  if (!Number.isFinite(v)) return '—';
  return digits === 0 ? Math.round(v).toLocaleString('en-US') : v.toFixed(digits);
}

function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return a === 0 && b === 0 ? '=' : '—';
  return `${(a / b).toFixed(2)}×`;
}
