import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, WORKFLOW_DEFINITION_FILE } from '../../functions/catalog';
import { localDefinition, MAX_LOCAL_TIMEOUT_SECONDS } from '../../infra/local/step-functions-local';

const text = readFileSync(WORKFLOW_DEFINITION_FILE, 'utf8');
const substitutions = Object.fromEntries(
  FUNCTIONS.filter((f) => f.workflowArnPlaceholder).map((f) => [
    f.workflowArnPlaceholder!,
    `arn:aws:lambda:us-east-1:000000000000:function:${f.id}`,
  ]),
);

const validateAsl = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errors: unknown[];
};

describe('the workflow definition', () => {
  it('passes asl-validator', () => {
    const result = validateAsl(JSON.parse(text));
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('reaches every state from StartAt, and ends only in Closed or, after a day of failing retries, HandlingStuck: a late task is never a failed execution', () => {
    const definition = JSON.parse(text);
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const state = definition.States[name];
      for (const next of [
        state.Next,
        state.Default,
        ...(state.Choices ?? []).map((c: any) => c.Next),
        ...(state.Catch ?? []).map((c: any) => c.Next),
      ])
        if (next) visit(next);
    };
    visit(definition.StartAt);
    expect([...seen].sort()).toEqual(Object.keys(definition.States).sort());
    expect(
      Object.entries<any>(definition.States)
        .filter(([, s]) => s.Type === 'Succeed' || s.Type === 'Fail')
        .map(([n]) => n)
        .sort(),
    ).toEqual(['Closed', 'HandlingStuck']);
    // Only the fault cap leads to the failure.
    const intoStuck = Object.entries<any>(definition.States).filter(([, s]) =>
      [
        s.Next,
        s.Default,
        ...(s.Choices ?? []).map((c: any) => c.Next),
        ...(s.Catch ?? []).map((c: any) => c.Next),
      ].includes('HandlingStuck'),
    );
    expect(intoStuck.map(([n]) => n)).toEqual(['RetryLater']);
  });

  it('is JSONPath, and every placeholder is a function in the catalog', () => {
    const definition = JSON.parse(text);
    expect(
      [definition, ...Object.values<any>(definition.States)].map((s) => s.QueryLanguage ?? 'JSONPath'),
    ).not.toContain('JSONata');
    const placeholders = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect([...placeholders].sort()).toEqual(Object.keys(substitutions).sort());
  });

  it('gives every human task a deadline from its input, passed along for the local engine', () => {
    const definition = JSON.parse(text);
    const waits = Object.entries<any>(definition.States).filter(([, s]) => s.Resource?.endsWith('.waitForTaskToken'));
    expect(waits.length).toBeGreaterThan(0);
    for (const [name, state] of waits) {
      expect(state.TimeoutSecondsPath, name).toMatch(/^\$\./);
      expect(state.Parameters.Payload['timeoutSeconds.$'], name).toBe(state.TimeoutSecondsPath);
      expect(
        state.Catch.flatMap((c: any) => c.ErrorEquals),
        name,
      ).toContain('States.Timeout');
    }
  });

  it('is rewritten for the local engine: placeholders filled, timeouts read from the payload', () => {
    const local = localDefinition(text, substitutions);
    expect(JSON.stringify(local)).not.toMatch(/\$\{/);
    expect(local.States.AwaitTask!.TimeoutSecondsPath).toBe('$.Payload.timeoutSeconds');
    expect(() => localDefinition(text, {})).toThrow(/has no local substitution/);
  });

  it('turns each Wait state into a local task that waits on the local clock and passes its input through', () => {
    const definition = JSON.parse(text);
    const local = localDefinition(text, substitutions);
    const waits = Object.entries<any>(definition.States).filter(([, s]) => s.Type === 'Wait');
    expect(waits.length).toBeGreaterThan(0);
    for (const [name, state] of waits) {
      expect(local.States[name], name).toEqual({
        Type: 'Task',
        Resource: 'arn:aws:states:::redress.local:wait',
        Parameters: { seconds: state.Seconds },
        ResultPath: null,
        TimeoutSeconds: MAX_LOCAL_TIMEOUT_SECONDS,
        Next: state.Next,
      });
    }
  });

  it('gives every Task that names no timeout no time limit, as Step Functions does (the local engine would fail it after 60 s)', () => {
    const definition = JSON.parse(text);
    const local = localDefinition(text, substitutions);
    for (const [name, state] of Object.entries<any>(local.States)) {
      if (state.Type !== 'Task') continue;
      if (definition.States[name].TimeoutSecondsPath) expect(state.TimeoutSecondsPath, name).toBeTruthy();
      else expect(state.TimeoutSeconds, name).toBe(MAX_LOCAL_TIMEOUT_SECONDS);
    }
  });
});
