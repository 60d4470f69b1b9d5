import { defineConfig } from 'vitest/config';

// Teardown checks for every test: nothing a test started may outlive it (packages/testkit).
const checks = 'packages/testkit/src/vitest/setup.ts';

// Tests run against the TypeScript sources of the workspace packages (the "source" export
// condition), so no build is needed before `vitest` (except for e2e, which serves the built UI).
const resolve = { conditions: ['source'] };

export default defineConfig({
  resolve,
  ssr: { resolve },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          setupFiles: [checks],
          include: ['packages/*/src/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
        },
      },
      {
        // Real browsers and real WebRTC peers: heavy on a 2-core machine, so scripts/test.sh runs
        // these files one at a time (--no-file-parallelism) to keep their media timing realistic.
        extends: true,
        test: {
          name: 'media',
          // …and media only inside a loopback-only network namespace.
          setupFiles: [checks, 'packages/testkit/src/vitest/loopbackOnly.ts'],
          // One retry: a real-browser meeting on a 2-core machine occasionally misses a media
          // deadline. A test that fails twice fails the run; first-attempt failures are reported
          // by Vitest as retried tests and tracked as bugs (see the issue notes).
          retry: 1,
          include: ['e2e/**/*.test.ts', 'packages/*/src/**/*.integration.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
