import { readFileSync } from 'node:fs';
import type { Parameters } from 'fast-check';

/*
 * Fuzz properties run in the unit tier with a fixed seed each (seeds.json), so CI is repeatable and
 * a failure there is the same failure on every machine. A longer campaign (scripts/fuzz-campaign.sh, not in
 * CI) sets FUZZ_SCALE (each property runs that many times its CI count) or FUZZ_RUNS (at least that
 * many cases each) and FUZZ_SEED=random; fast-check then prints the seed and path of any
 * counterexample, which goes into the property's `examples` as a regression case.
 */

interface SeedFile {
  seeds: Record<string, number>;
}

const SEEDS = (JSON.parse(readFileSync(new URL('./seeds.json', import.meta.url), 'utf8')) as SeedFile).seeds;

/** How many cases a property that runs `runs` in CI runs now (FUZZ_SCALE, FUZZ_RUNS). */
export function fuzzRuns(runs: number): number {
  const envRuns = Number(process.env.FUZZ_RUNS);
  const scale = Number(process.env.FUZZ_SCALE);
  const scaled = Number.isFinite(scale) && scale > 0 ? Math.round(runs * scale) : runs;
  return Number.isFinite(envRuns) && envRuns > 0 ? Math.max(scaled, envRuns) : scaled;
}

/** fast-check parameters for the property `name` (a key of seeds.json), running `runs` cases in CI. */
export function fuzzParams<T>(name: string, runs: number, examples: T[] = []): Parameters<T> {
  const seed = SEEDS[name];
  if (seed === undefined) throw new Error(`testkit/src/fuzz/seeds.json has no seed for "${name}"`);
  const envSeed = process.env.FUZZ_SEED;
  const chosen =
    envSeed === 'random' ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : envSeed ? Number(envSeed) : seed;
  const numRuns = fuzzRuns(runs);
  // A campaign says what it ran, so a run can be repeated exactly and its size reported.
  if (envSeed) process.stderr.write(`fuzz ${name} seed=${chosen} runs=${numRuns}\n`);
  return { seed: chosen, numRuns, examples };
}
