import { defineConfig } from 'vitest/config';

// Tests are split by cost: unit (no I/O), infra (CDK template + cdk-nag), and stack (the local
// stack booted once per run, driven over HTTP, email and a real browser).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      {
        test: {
          name: 'stack',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/local-stack-setup.ts'],
          // Every response from a stack's API is checked against the document it serves.
          setupFiles: ['test/support/api-contract-setup.ts'],
          // The files mostly wait (for emails and the workflow): more workers than cores.
          // A project with its own worker count runs as its own group, after the quick ones.
          maxWorkers: 4,
          sequence: { groupOrder: 1 },
          // Guards against a hang only: no test races these (deadlines pass when a test moves the clock).
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
