import { defineConfig } from 'vitest/config';

// Tests are split by cost: unit (no I/O), infra (CDK template + cdk-nag), and stack (the local
// stack booted once per run, driven over HTTP, email and a real browser). All three run together:
// the stack's files mostly wait (for emails and the workflow), so more workers than cores, and the
// infra files' synths fill the cores meanwhile instead of running alone before them.
export default defineConfig({
  test: {
    maxWorkers: 4,
    projects: [
      // Timeouts guard against a hang only: the unit files share the cores with the stack's. Unit
      // files share their worker's loaded modules (a file puts back what it changes: environment
      // variables, the settings it reads): measured 22.4 → 12.1 s of CPU for the project.
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 60_000, isolate: false },
      },
      // The infra files share their worker's loaded CDK (each builds its own App): a worker's
      // first synth costs ~4.4 s of CPU, a warm one ~0.7 s (measured: 78.6 → 64.0 s for the project).
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          isolate: false,
        },
      },
      {
        test: {
          name: 'stack',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/local-stack-setup.ts'],
          // The files share their worker (its packages load once); each imports the project's
          // modules afresh and puts back the environment it changed (shared-worker-setup.ts).
          isolate: false,
          // Every response from a stack's API is checked against the document it serves.
          setupFiles: ['test/support/shared-worker-setup.ts', 'test/support/api-contract-setup.ts'],
          // Guards against a hang only: no test races these (deadlines pass when a test moves the clock).
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
