import type { RunFigures } from './measure.js';

/*
 * The summary: per scenario, each server's median over its runs (µs per packet also with its
 * min–max, to show the noise), then the ratio Conclave / Janus of the medians. Markdown, so it
 * can go into BENCHMARKS.md as printed.
 */

type Figure = (r: RunFigures) => number;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const COLUMNS: { title: string; figure: Figure; digits: number }[] = [
  { title: 'fwd pkt/s', figure: (r) => r.forwardedPps, digits: 0 },
  { title: 'CPU (1 core)', figure: (r) => r.cpuPercent, digits: 1 },
  { title: 'µs / fwd pkt', figure: (r) => r.usPerPacket, digits: 2 },
  { title: '≈ pkt/s per core', figure: (r) => r.saturationPps, digits: 0 },
  { title: 'loss %', figure: (r) => r.lossPercent, digits: 3 },
  { title: 'added p50 ms', figure: (r) => r.kernelP50, digits: 2 },
  { title: 'added p99 ms', figure: (r) => r.kernelP99, digits: 2 },
  { title: 'bot→bot p50 ms', figure: (r) => r.botP50, digits: 2 },
  { title: 'bot→bot p99 ms', figure: (r) => r.botP99, digits: 2 },
  { title: 'RSS / subscriber MiB', figure: (r) => r.rssPerSubscriberMiB, digits: 2 },
];

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
}

function format(v: number, digits: number): string {
  if (!Number.isFinite(v)) return '—';
  return digits === 0 ? Math.round(v).toLocaleString('en-US') : v.toFixed(digits);
}

function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return a === 0 && b === 0 ? '=' : '—';
  return `${(a / b).toFixed(2)}×`;
}
