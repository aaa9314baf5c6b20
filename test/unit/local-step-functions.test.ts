import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FUNCTIONS, WORKFLOW_DEFINITION_FILE } from '../../functions/catalog';
import { LocalClock } from '../../infra/local/clock';
import { FaultWindows } from '../../infra/local/fault-injection';
import { LocalStepFunctions } from '../../infra/local/step-functions-local';

/**
 * The local engine keeps time as Step Functions does: a step fault of any length goes round the
 * workflow's wait-and-retry path (retries, a 5-minute wait, the step again) until it ends, and
 * only a day of such faults fails the execution (HandlingStuck). The engine runs the deployed
 * definition in this process with stand-in Lambdas (the step's Lambda fails while the fault
 * lasts, REDRESS_FAULT=step-failing's own switch); vitest's fake timers move the clock, so no
 * minute is waited for.
 */
const substitutions = Object.fromEntries(
  FUNCTIONS.filter((f) => f.workflowArnPlaceholder).map((f) => [
    f.workflowArnPlaceholder!,
    `arn:aws:lambda:us-east-1:000000000000:function:${f.id}`,
  ]),
);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let engine: LocalStepFunctions | undefined;
const invoked: string[] = [];

function startEngine(faultMs: number): LocalStepFunctions {
  const clock = new LocalClock(1);
  engine = new LocalStepFunctions({
    definitionFile: WORKFLOW_DEFINITION_FILE,
    substitutions,
    invoke: async (name) => {
      const id = name.split(':').pop()!;
      invoked.push(id);
      // The first step opens the acceptance review (a day to decide); the task's own Lambda stores its link.
      return id === 'AcknowledgeReceipt' ? { step: 'acceptance', level: 0, timeoutSeconds: 86_400 } : {};
    },
    region: 'us-east-1',
    accountId: '000000000000',
    name: 'ComplaintHandling',
    clock,
    faultWindows: new FaultWindows({ stepFailingSeconds: faultMs / 1000 }, clock.nowMs()),
  });
  return engine;
}

function start(stepFunctions: LocalStepFunctions, name: string): string {
  return stepFunctions.startExecution({
    stateMachineArn: stepFunctions.stateMachineArn,
    name,
    input: JSON.stringify({ complaintId: name, faults: { count: 0 } }),
  }).executionArn;
}

function statusOf(stepFunctions: LocalStepFunctions, executionArn: string) {
  const { status, error } = stepFunctions.describeExecution({ executionArn }) as { status: string; error?: string };
  return { status, error };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  invoked.length = 0;
});
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  vi.useRealTimers();
});

describe('the local engine under a step fault', () => {
  it('keeps an execution waiting to retry past a minute (no 60 s task timeout): a 200 s fault ends with the step run and the task opened', async () => {
    const stepFunctions = startEngine(200_000);
    const arn = start(stepFunctions, 'c-200s');
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(statusOf(stepFunctions, arn)).toEqual({ status: 'RUNNING', error: undefined });
    expect(invoked).toEqual(['AcknowledgeReceipt', 'OpenTask']);
  });

  it('goes round the wait-and-retry path for as long as the fault lasts: a 6-hour fault, then the task', async () => {
    const stepFunctions = startEngine(6 * HOUR);
    const arn = start(stepFunctions, 'c-6h');
    await vi.advanceTimersByTimeAsync(6 * HOUR - MINUTE);
    expect(statusOf(stepFunctions, arn)).toEqual({ status: 'RUNNING', error: undefined });
    expect(invoked).toEqual([]);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(statusOf(stepFunctions, arn)).toEqual({ status: 'RUNNING', error: undefined });
    expect(invoked).toEqual(['AcknowledgeReceipt', 'OpenTask']);
  });

  it('fails the execution in HandlingStuck only after a day of faults, as Step Functions does', async () => {
    const stepFunctions = startEngine(48 * HOUR);
    const arn = start(stepFunctions, 'c-stuck');
    await vi.advanceTimersByTimeAsync(20 * HOUR);
    expect(statusOf(stepFunctions, arn)).toEqual({ status: 'RUNNING', error: undefined });
    await vi.advanceTimersByTimeAsync(12 * HOUR);
    expect(statusOf(stepFunctions, arn)).toEqual({ status: 'FAILED', error: 'Redress.HandlingStuck' });
    expect(invoked).toEqual([]);
  });
});

describe('the local engine’s validation of its definition', () => {
  it('refuses a definition that does not validate, though the workflow’s own has passed before (it is validated until it has passed once)', () => {
    startEngine(0);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'asl-'));
    const broken = path.join(dir, 'broken.asl.json');
    const definition = JSON.parse(readFileSync(WORKFLOW_DEFINITION_FILE, 'utf8'));
    definition.States[definition.StartAt].Next = 'NoSuchState';
    writeFileSync(broken, JSON.stringify(definition));
    try {
      expect(
        () =>
          new LocalStepFunctions({
            definitionFile: broken,
            substitutions,
            invoke: async () => ({}),
            region: 'us-east-1',
            accountId: '000000000000',
            name: 'Broken',
            clock: new LocalClock(1),
          }),
      ).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
