import type { RunFigures } from './measure.js';

/*
 * The saturation ramp (`--video-pps 300,1000,2000 --drain K`): per scenario and server, each rate's
 * median run, and the point where the server stopped keeping up. A server is saturated at a rate
 * when its process takes ≥ 95 % of its core, or it sends fewer than 97 % of the copies it was given
 * (it drops input or falls behind), or its forwarded rate rises by less than 5 % while the offered
 * rate rose. The saturation figure is the highest forwarded rate measured (median over runs); if no
 * rate saturated the server, it is a lower bound and printed as "≥".
 */

const CPU_SATURATED = 95;
const DELIVERED_SATURATED = 97;
const FLAT_RISE = 1.05;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

interface Step {
  videoPps: number;
  runs: number;
  offered: number;
  forwarded: number;
  cpu: number;
  core: number;
  delivered: number;
  loss: number;
  drops: number;
  bots: number;
  saturated: string;
}

/** The scenario's name without its rate (" @ 1000"). */
const base = (r: RunFigures) => r.scenario.replace(/ @ \d+$/, '');

export function printSaturation(runs: RunFigures[]): void {
  const ramps = new Set(runs.map(base));
  const lines: string[] = [];
  for (const scenario of ramps) {
    const mine = runs.filter((r) => base(r) === scenario);
    const rates = [...new Set(mine.map((r) => r.videoPps))].sort((a, b) => a - b);
    if (rates.length < 2) continue;
    const figures = new Map<string, { label: string; top: number; saturated: boolean }>();
    lines.push(
      `\nSaturation ramp, ${scenario}${drainedRange(mine)}:`,
      '| server | video pkt/s per publisher | runs | offered pkt/s | forwarded pkt/s | server CPU % | core busy % | delivered % | loss % (counting bots) | socket drops/s | bots CPU % | saturated? |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const server of new Set(mine.map((r) => r.server))) {
      const steps: Step[] = [];
      for (const videoPps of rates) {
        const at = mine.filter((r) => r.server === server && r.videoPps === videoPps);
        if (!at.length) continue;
        const m = (f: (r: RunFigures) => number) => median(at.map(f));
        const step: Step = {
          videoPps,
          runs: at.length,
          offered: m((r) => r.offeredPps),
          forwarded: m((r) => r.forwardedPps),
          cpu: m((r) => r.cpuPercent),
          core: m((r) => r.coreBusyPercent),
          delivered: m((r) => r.deliveredPercent),
          // Runs with no counting subscriber (--drain 0, or saved before it was NaN) have no latencies either.
          loss: m((r) => (Number.isFinite(r.botP50) ? (r.lossPercent ?? Number.NaN) : Number.NaN)),
          drops: m((r) => r.receiveBufferDropsPs),
          bots: m((r) => r.botCpuPercent),
          saturated: '',
        };
        const previous = steps.at(-1);
        const why = [
          step.cpu >= CPU_SATURATED ? `CPU ${step.cpu.toFixed(1)} %` : '',
          step.delivered < DELIVERED_SATURATED ? `delivered ${step.delivered.toFixed(1)} %` : '',
          previous &&
          step.offered > previous.offered * FLAT_RISE &&
          step.forwarded < previous.forwarded * FLAT_RISE
            ? 'forwarded rate flat'
            : '',
        ].filter(Boolean);
        step.saturated = why.length ? `yes: ${why.join(', ')}` : 'no';
        steps.push(step);
      }
      const label = mine.find((r) => r.server === server)?.label ?? server;
      for (const s of steps)
        lines.push(
          `| ${label} | ${s.videoPps} | ${s.runs} | ${fmt(s.offered)} | ${fmt(s.forwarded)} | ${s.cpu.toFixed(1)} | ${s.core.toFixed(1)} | ${s.delivered.toFixed(1)} | ${Number.isFinite(s.loss) ? s.loss.toFixed(3) : '—'} | ${fmt(s.drops)} | ${s.bots.toFixed(0)} | ${s.saturated} |`,
        );
      const top = Math.max(...steps.map((s) => s.forwarded));
      figures.set(server, { label, top, saturated: steps.some((s) => s.saturated !== 'no') });
    }
    const summary = [...figures.values()].map(
      (f) =>
        `${f.label} ${f.saturated ? '' : '≥ '}${fmt(f.top)} pkt/s${f.saturated ? ' (saturated)' : ' (not saturated: highest measured)'}`,
    );
    const c = figures.get('conclave');
    for (const [server, f] of figures)
      if (c && server !== 'conclave') summary.push(`Conclave / ${f.label} ${(c.top / f.top).toFixed(2)}×`);
    lines.push(`\nForwarded packets/s at saturation of one core, ${scenario}: ${summary.join('; ')}`);
  }
  if (lines.length) console.log(lines.join('\n'));
}

/** " (58–60 subscribers draining)": how many subscribers drained in these runs, if any did. */
function drainedRange(runs: RunFigures[]): string {
  const d = runs.map((r) => r.drained ?? 0);
  const [lo, hi] = [Math.min(...d), Math.max(...d)];
  if (!hi) return '';
  return ` (${lo === hi ? hi : `${lo}–${hi}`} subscribers draining)`;
}

const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
