import { rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { sharedDynamoDb, startStackProcess, stopStackProcess } from './local-stack-setup';
import { useStack } from './stack-client';

/**
 * Gives this test file a local stack of its own, for tests that move its clock: the shared
 * stack's other tests never see the time jump. Every stack-client helper in the file uses it.
 */
export function ownStack(env: Record<string, string> = {}): void {
  let stopped: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const started = await startStackProcess({ ...sharedDynamoDb(), ...env });
    useStack(started.urls);
    stopped = async () => {
      await stopStackProcess(started.child);
      rmSync(started.dataDir, { recursive: true, force: true });
    };
  });
  afterAll(async () => {
    await stopped?.();
  });
}
