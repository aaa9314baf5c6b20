import { afterAll, vi } from 'vitest';

/**
 * The stack project's files share their worker process (`isolate: false`): the packages they use
 * (the AWS SDK, playwright, ajv, zod) load once a worker, not once a file. What a file changes
 * stays its own: it imports the project's modules afresh (their caches: settings, SDK clients,
 * the clock, the stack it points at), and when it ends the environment variables it set are put
 * back and its mocks and stubs undone.
 */
vi.resetModules();
const environment = { ...process.env };
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name];
  Object.assign(process.env, environment);
});
