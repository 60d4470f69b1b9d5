import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { descendants } from '../process/processTree.js';

/*
 * The wiring of the teardown checks: a vitest of its own runs the files in fixtures/ with the kit's
 * setup file, as every Conclave test runs, and each misbehaving file must fail (the well-behaved
 * one must pass). A retried attempt's failure must reach stderr.
 */

const VITEST = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface FileResult {
  name: string;
  status: string;
  message: string;
  assertionResults: { status: string; failureMessages: string[] }[];
}

function runFixtures(): { results: Map<string, FileResult>; stderr: string } {
  // The outer vitest's variables would make the inner one think it is a worker.
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))),
    CONCLAVE_LEFTOVER_GRACE_MS: '500',
  };
  const run = spawnSync(
    process.execPath,
    [VITEST, 'run', '--config', join(FIXTURES, 'vitest.config.ts'), '--reporter=json'],
    { cwd: FIXTURES, env, encoding: 'utf8', timeout: 120_000 },
  );
  const json = run.stdout.slice(run.stdout.indexOf('{'));
  const report = JSON.parse(json) as { testResults: FileResult[] };
  const results = new Map(report.testResults.map((r) => [r.name.slice(r.name.lastIndexOf('/') + 1), r]));
  return { results, stderr: run.stderr };
}

const text = (r: FileResult | undefined) =>
  [r?.message ?? '', ...(r?.assertionResults ?? []).flatMap((a) => a.failureMessages)].join('\n');

describe('teardown checks wired through the setup file', () => {
  it('fail each test file that leaves something running, kill what it left, and pass the one that cleans up', {
    timeout: 120_000,
  }, () => {
    const { results, stderr } = runFixtures();

    const child = results.get('leavesChild.fixture.ts');
    expect(child?.status).toBe('failed');
    expect(text(child)).toMatch(/process \d+ still running \(killed\): sleep 421/);

    const server = results.get('leavesServer.fixture.ts');
    expect(server?.status).toBe('failed');
    expect(text(server)).toMatch(/1 × TCPServerWrap still active/);

    const hook = results.get('leavesTimerInBeforeAll.fixture.ts');
    expect(hook?.status).toBe('failed');
    expect(text(hook)).toMatch(/the file's own hooks left:\s+1 × Timeout still active/);

    // The retry passed, but its first attempt's leftover still fails the file.
    const retried = results.get('retryHidesLeak.fixture.ts');
    expect(retried?.assertionResults[0]?.status).toBe('passed');
    expect(retried?.status).toBe('failed');
    expect(text(retried)).toMatch(/\(attempt 1\) left:\s+process \d+ still running \(killed\): sleep 422/);
    // …and why that first attempt failed is on stderr, with its stack: vitest shows only the last.
    expect(stderr).toMatch(
      /\[retried\] leaves a process in its first attempt, then passes \(retryHidesLeak\.fixture\.ts\): attempt 1 of 2 failed\n\s+Error: first attempt fails\n\s+at .*retryHidesLeak\.fixture\.ts:\d+/,
    );
    expect(stderr).toMatch(
      /\n\s+Error: the test left things running after its teardown:\n\s+process \d+ still running \(killed\): sleep 422/,
    );
    // Only attempts that are retried: a last attempt's failure vitest reports itself.
    expect(stderr.match(/\[retried\]/g)).toHaveLength(1);

    expect(results.get('cleansUp.fixture.ts')?.status).toBe('passed');

    // Killed, not merely reported (once their worker exits they would be orphans, no one's descendants).
    expect(descendants(1).filter((p) => /^sleep 42[12]$/.test(p.command))).toEqual([]);
  });
});
