import { aroundAll, aroundEach } from 'vitest';
import { leftoversSince, settledSnapshot, snapshot } from '../checks/leftovers.js';
import { errorCount, reportFailedAttempt } from './failedAttempt.js';

/*
 * Every test file gets the teardown checks through vitest's `setupFiles` (vitest.config.ts), with
 * no code in the test:
 *  - around each test attempt (a retry is an attempt of its own): after its afterEach hooks,
 *    fixtures and onTestFinished callbacks, nothing it started may still run. A leftover fails that
 *    attempt — and, so that a passing retry cannot hide it, the file as well.
 *  - around the whole file: after its afterAll hooks, nothing its beforeAll hooks started may run.
 *  - an attempt that failed and will be retried has its errors written to stderr (failedAttempt.ts):
 *    vitest itself shows only the last attempt's.
 */

const leaked: string[] = [];
/** How long leftovers may take to wind down (the kit's own tests of this file shorten it). */
const options = { graceMs: Number(process.env.CONCLAVE_LEFTOVER_GRACE_MS ?? 5000) };

aroundEach(async (runTest, context) => {
  const before = snapshot();
  const errorsBefore = errorCount(context.task);
  await runTest();
  const left = await leftoversSince(before, options);
  const leftover = left.length
    ? new Error(`the test left things running after its teardown:\n  ${left.join('\n  ')}`)
    : undefined;
  reportFailedAttempt(context.task, errorsBefore, leftover ? [leftover] : []);
  if (!leftover) return;
  const attempt = (context.task.result?.retryCount ?? 0) + 1;
  leaked.push(`"${context.task.name}" (attempt ${attempt}) left:\n  ${left.join('\n  ')}`);
  throw leftover;
});

// Registered here, on the file's suite: wraps the file only (describe blocks do not inherit it).
aroundAll(async (runSuite) => {
  const before = await settledSnapshot();
  await runSuite();
  const left = await leftoversSince(before, options);
  const problems = [
    ...leaked.splice(0),
    ...(left.length ? [`the file's own hooks left:\n  ${left.join('\n  ')}`] : []),
  ];
  if (problems.length) throw new Error(`leftovers after teardown:\n${problems.join('\n')}`);
});
