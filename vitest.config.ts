import { defineConfig } from 'vitest/config';
import type { InlineConfig } from 'vitest/node';

/**
 * The files of the `unit` project need no Temporal server, worker, SMTP or HTTP server: pure rules, renderers,
 * parsers, schemas and the compose checker. They run without the global setup, in seconds
 * (`npm run test:unit`). Every other file belongs to `integration`, so a new test that needs the stack works
 * wherever it is put; a file moves here only once it is known to need none of it.
 */
export const UNIT_TESTS = [
  'test/domain/**/*.test.ts',
  'test/client/web/forms.test.ts',
  'test/client/web/pages.test.ts',
  'test/client/web/next-step.test.ts',
  'test/client/web/bad-input-rendering.test.ts',
  'test/client/http/case-cache.test.ts',
  'test/client/shared/act-signing.test.ts',
  'test/devstack/compose-check.test.ts',
  'test/devstack/compose-file.test.ts',
];

/** The long fault-injection suites run in `npm run test:faults` (vitest.faults.config.ts), which .ci/run also calls. */
const FAULT_TESTS = 'test/faults/**';
/** The production-shaped suite needs its own stack (vitest.production.config.ts): `npm run test:production`. */
const PRODUCTION_TESTS = 'test/production/**';

/** What every run against the real stack shares (`integration`, vitest.faults.config.ts, vitest.record.config.ts). */
export const STACK: Pick<InlineConfig, 'pool' | 'globalSetup'> = {
  // Temporal's native worker wants a process of its own (Runtime.install once per process): forks, not threads.
  pool: 'forks',
  // One Temporal dev server and one workflow bundle for the whole run; each test uses its own task queue.
  globalSetup: ['test/support/global-setup.ts'],
};

export default defineConfig({
  test: {
    // Both projects: the property-based unit tests take seconds each on a busy machine, the integration tests more.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT_TESTS,
          // Pure code, no mocks, no global state: threads that keep the imported modules between files halve
          // the run. A unit test that mocks a module (vi.mock) or changes process.env would leak into the next file.
          pool: 'threads',
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          ...STACK,
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...UNIT_TESTS, FAULT_TESTS, PRODUCTION_TESTS, '**/node_modules/**'],
        },
      },
    ],
  },
});
