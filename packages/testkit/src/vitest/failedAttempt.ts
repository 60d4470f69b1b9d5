import type { RunnerTestCase as Test } from 'vitest';

/*
 * Vitest prints the error of a test's last attempt only: when a retry passes, why the first attempt
 * failed is lost, and a flaky test leaves nothing in the CI log to find its cause by. The setup file
 * calls this after every attempt that failed and will be retried, and it writes that attempt's
 * errors (message and stack) straight to stderr, whatever the reporter.
 */

/** The errors recorded so far for `task` (vitest appends each attempt's to the same list). */
export function errorCount(task: Test): number {
  return task.result?.errors?.length ?? 0;
}

/**
 * Writes to stderr why this attempt of `task` failed, if it did and another attempt follows.
 * `since` is `errorCount(task)` from before the attempt; `extra` are errors the setup file found
 * after it (leftovers), not yet in the task's result.
 */
export function reportFailedAttempt(task: Test, since: number, extra: Error[] = []): void {
  const retries = typeof task.retry === 'number' ? task.retry : (task.retry?.count ?? 0);
  const index = task.result?.retryCount ?? 0;
  if (index >= retries) return; // the last attempt: vitest reports it itself
  const errors: { name?: string; message: string; stack?: string }[] = [
    ...(task.result?.errors ?? []).slice(since),
    ...extra,
  ];
  if (errors.length === 0) return;
  const lines = [
    `[retried] ${fullName(task)} (${task.file.name}): attempt ${index + 1} of ${retries + 1} failed`,
    ...errors.map((e) => indent(e.stack || `${e.name ?? 'Error'}: ${e.message}`)),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

function fullName(task: Test): string {
  const names = [task.name];
  for (let suite = task.suite; suite?.name; suite = suite.suite) names.unshift(suite.name);
  return names.join(' > ');
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}
