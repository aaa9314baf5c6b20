import { defineConfig } from 'vitest/config';

// The AWS SDK's notice that it will want Node 22 in 2027 would repeat in every worker.
const setupFiles = ['infra/local/quiet-sdk-notice.ts'];

// Tests are split by cost: unit (no I/O), infra (CDK template + cdk-nag), and stack (the local
// stack booted once per run, driven over HTTP, email and a real browser).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], setupFiles } },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], setupFiles, testTimeout: 120_000, hookTimeout: 120_000 } },
      {
        test: {
          name: 'stack',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          setupFiles,
          globalSetup: ['test/support/local-stack-setup.ts'],
          // The files mostly wait (for emails, for deadlines to pass): more workers than cores.
          // A project with its own worker count runs as its own group, after the quick ones.
          maxWorkers: 4,
          sequence: { groupOrder: 1 },
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
