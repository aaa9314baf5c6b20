import { readFileSync } from 'node:fs';
import type { MiddyfiedHandler } from '@middy/core';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_DEFINITION_FILE } from '../../functions/catalog';
import { escalates } from '../../functions/domain/escalation';
import { HUMAN_STEPS, type HumanStep } from '../../functions/domain/lifecycle';
import {
  STEP_DECISIONS,
  stageAfter,
  stageAfterLapse,
  type NextStage,
  type StepDecision,
} from '../../functions/domain/steps';
import {
  CaseClosed,
  resumePointOf,
  StepMoved,
  stepAtResumePoint,
  WORKFLOW_ERRORS,
} from '../../functions/domain/workflow-contract';
import type { handler as acknowledgeReceiptHandler } from '../../functions/workflow/acknowledge-receipt';
import type { handler as beginStepHandler } from '../../functions/workflow/begin-step';
import type { handler as deadlinePassedHandler } from '../../functions/workflow/deadline-passed';

/*
 * Where a case goes next is the domain's to say (stageAfter, stageAfterLapse in
 * functions/domain/steps.ts), and the use cases write it on the record; the workflow definition
 * only loops its one human task (AwaitTask) on whatever step the record opened, ends at Closed
 * when a state answers CaseClosed, and reopens the recorded step on StepMoved. These tests walk
 * the definition itself, the way Step Functions would, with each Lambda and each decider
 * replaced by what it answers (shaped by the handlers' own types), and check that every
 * decision, lapse, escalation, start and fault lands where the domain says, in as few state
 * transitions as the cost model counts.
 */

// ---------------------------------------------------------------------------------------------
// Every decision a step can produce. The mapped type makes this table exhaustive over the
// StepDecision union: a new decision type does not compile until it is listed here.

type DecisionCases = { [D in StepDecision as `${D['step']}:${D['decision']}`]: { subject: string; decision: D } };

const DECISION_CASES = {
  'evidence:evidence-received': {
    subject: 'a complaint whose evidence arrived',
    decision: { step: 'evidence', decision: 'evidence-received' },
  },
  'acceptance:accept': { subject: 'an accepted complaint', decision: { step: 'acceptance', decision: 'accept' } },
  'acceptance:reject': {
    subject: 'a rejected complaint',
    decision: { step: 'acceptance', decision: 'reject', reason: 'out-of-scope' },
  },
  'acceptance:request-info': {
    subject: 'a complaint the handler has a question about',
    decision: { step: 'acceptance', decision: 'request-info', question: 'Which account?' },
  },
  'information:answer': {
    subject: "the complainant's answer",
    decision: { step: 'information', decision: 'answer', answer: 'The second one.' },
  },
  'investigation:record-findings': {
    subject: 'a complaint with recorded findings',
    decision: {
      step: 'investigation',
      decision: 'record-findings',
      findings: 'The post broke the rules.',
      actions: ['remove-content-and-warn'],
    },
  },
  'investigation:request-statement': {
    subject: "a complaint that needs the respondent's side",
    decision: {
      step: 'investigation',
      decision: 'request-statement',
      respondentEmail: 'respondent@example.org',
      question: 'What happened?',
    },
  },
  'statement:submit-statement': {
    subject: "the respondent's statement",
    decision: { step: 'statement', decision: 'submit-statement', statement: 'It was a mistake.' },
  },
  'reply:send-reply': {
    subject: 'a replied complaint',
    decision: { step: 'reply', decision: 'send-reply', reply: 'We removed it.', grounds: 'Rule 3.' },
  },
  'survey:rate': { subject: 'a rated complaint', decision: { step: 'survey', decision: 'rate', rating: 4 } },
  'survey:request-review': {
    subject: 'a complaint whose complainant asks for a review',
    decision: { step: 'survey', decision: 'request-review', reason: 'The reply ignores my evidence.' },
  },
  'review:uphold': {
    subject: 'a complaint whose outcome the reviewer upholds',
    decision: { step: 'review', decision: 'uphold', reason: 'The reply was right.' },
  },
  'review:overturn': {
    subject: 'a complaint whose outcome the reviewer overturns',
    decision: {
      step: 'review',
      decision: 'overturn',
      reason: 'The evidence was overlooked.',
      reply: 'We restored your post.',
    },
  },
} satisfies DecisionCases;

type ResultOf<H> = H extends MiddyfiedHandler<any, infer R, any, any, any> ? R : never;
type Timer = ResultOf<typeof acknowledgeReceiptHandler> &
  ResultOf<typeof beginStepHandler> &
  ResultOf<typeof deadlinePassedHandler>;

type Rule = Record<string, any>;
interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Rule[];
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ResultSelector?: Record<string, unknown>;
  ResultPath?: string | null;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string | null; Next: string }[];
  [field: string]: unknown;
}

const definition = JSON.parse(readFileSync(WORKFLOW_DEFINITION_FILE, 'utf8')) as {
  StartAt: string;
  States: Record<string, State>;
};
const STATES = definition.States;
const FUNCTION = {
  acknowledge: '${AcknowledgeReceiptFunctionArn}',
  begin: '${BeginStepFunctionArn}',
  openTask: '${OpenTaskFunctionArn}',
  deadline: '${DeadlinePassedFunctionArn}',
} as const;
const functionOf = (state: State): string | undefined =>
  (state.Parameters as { FunctionName?: string } | undefined)?.FunctionName;
const WAIT_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const isHumanTask = (state: State) => state.Type === 'Task' && state.Resource === WAIT_RESOURCE;
const only = (what: string, names: string[]) => {
  if (names.length !== 1) throw new Error(`expected one ${what}, found ${names.join(', ') || 'none'}`);
  return names[0]!;
};
const AWAIT = only(
  'human task',
  Object.keys(STATES).filter((n) => isHumanTask(STATES[n]!)),
);
const CLOSED = only(
  'Succeed state',
  Object.keys(STATES).filter((n) => STATES[n]!.Type === 'Succeed'),
);
const calling = (fn: string) =>
  only(
    `Task calling ${fn}`,
    Object.keys(STATES).filter((n) => !isHumanTask(STATES[n]!) && functionOf(STATES[n]!) === fn),
  );
const DEADLINE = calling(FUNCTION.deadline);
const REOPEN = calling(FUNCTION.begin);

// ---------------------------------------------------------------------------------------------
// A small JSONPath interpreter: only what the definition uses. Anything else fails loudly.

const PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const CONTEXT = { Task: { Token: 'task-token' } };

function segments(path: string, where: string): string[] {
  if (!PATH.test(path))
    throw new Error(`${where}: path ${JSON.stringify(path)} is beyond what this walker implements ($ or $.a.b only)`);
  return path.split('.').slice(1);
}

function read(doc: unknown, path: string, where: string): { found: boolean; value?: unknown } {
  let at = doc;
  let source = path;
  if (path.startsWith('$$.')) {
    at = CONTEXT;
    source = path.slice(1);
  }
  for (const key of segments(source, where)) {
    if (at === null || typeof at !== 'object' || Array.isArray(at) || !(key in at)) return { found: false };
    at = (at as Record<string, unknown>)[key];
  }
  return { found: true, value: at };
}

function write(doc: unknown, path: string | null | undefined, value: unknown, where: string): unknown {
  if (path === null) throw new Error(`${where}: ResultPath null is not implemented by this walker`);
  const keys = segments(path ?? '$', where);
  if (keys.length === 0) return value;
  const root = structuredClone(doc) as Record<string, unknown>;
  let at = root;
  for (const key of keys.slice(0, -1)) {
    if (at[key] === null || typeof at[key] !== 'object') at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]!] = value;
  return root;
}

/** Parameters / ResultSelector: `key.$` reads a path, anything else is literal. */
function template(shape: unknown, doc: unknown, where: string): unknown {
  if (shape === null || typeof shape !== 'object' || Array.isArray(shape)) return shape;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(shape)) {
    if (key.endsWith('.$')) {
      const add = typeof value === 'string' ? /^States\.MathAdd\((\$[.\w]*), (-?\d+)\)$/.exec(value) : null;
      if (add) {
        const got = read(doc, add[1]!, `${where} ${key}`);
        if (!got.found || typeof got.value !== 'number')
          throw new Error(
            `${where}: ${key} adds to ${add[1]}, which the input does not have as a number (States.Runtime in Step Functions)`,
          );
        out[key.slice(0, -2)] = got.value + Number(add[2]);
        continue;
      }
      if (typeof value !== 'string' || value.startsWith('States.'))
        throw new Error(
          `${where}: ${key} is an intrinsic function other than States.MathAdd, or not a path; not implemented by this walker`,
        );
      const got = read(doc, value, `${where} ${key}`);
      if (!got.found)
        throw new Error(
          `${where}: ${key} reads ${value}, which the input does not have (States.Runtime in Step Functions)`,
        );
      out[key.slice(0, -2)] = got.value;
    } else {
      out[key] = template(value, doc, where);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Choice rules: StringEquals, BooleanEquals, IsPresent, Not, And, Or. Nothing else.

const CHOICE_OPERATORS: readonly string[] = ['StringEquals', 'BooleanEquals', 'IsPresent', 'NumericGreaterThan'];

function matches(rule: Rule, doc: unknown, where: string): boolean {
  if ('Not' in rule) return !matches(rule.Not, doc, `${where}.Not`);
  if ('And' in rule) return (rule.And as Rule[]).every((r, i) => matches(r, doc, `${where}.And[${i}]`));
  if ('Or' in rule) return (rule.Or as Rule[]).some((r, i) => matches(r, doc, `${where}.Or[${i}]`));
  const { Variable, Next: _next, Comment: _comment, ...comparison } = rule;
  const operators = Object.keys(comparison);
  if (typeof Variable !== 'string' || operators.length !== 1)
    throw new Error(`${where}: a rule needs one Variable and one operator, got ${JSON.stringify(rule)}`);
  const operator = operators[0]!;
  if (!CHOICE_OPERATORS.includes(operator))
    throw new Error(
      `${where}: Choice operator ${operator} is not implemented by this walker; add it before relying on this test`,
    );
  const expected = comparison[operator];
  const got = read(doc, Variable, where);
  if (operator === 'IsPresent') return got.found === expected;
  if (!got.found)
    throw new Error(
      `${where}: ${Variable} is absent from the input, so ${operator} fails the execution (States.Runtime in Step Functions); input was ${JSON.stringify(doc)}`,
    );
  if (operator === 'StringEquals') return typeof got.value === 'string' && got.value === expected;
  if (operator === 'NumericGreaterThan') return typeof got.value === 'number' && got.value > (expected as number);
  return typeof got.value === 'boolean' && got.value === expected; // BooleanEquals
}

// ---------------------------------------------------------------------------------------------
// The walk: from one state, as Step Functions would run it, each Lambda and each person answering
// as below, until the case waits on its human task with nothing more to do, ends, or comes back to
// a state it already passed (a fault's wait-and-retry).

/** What happens at a human task: a decision recorded (the decider sends its outcome), or the deadline passing. */
type Turn = { decision: StepDecision } | 'timeout';

interface World {
  /** What AcknowledgeReceipt finds. */
  evidenceNeeded?: boolean;
  /** What happens at each human task, in order. */
  turns?: Turn[];
  /** DeadlinePassed finds the case moved on to this step (a decision recorded unheard). */
  movedTo?: HumanStep;
  /** A state whose first invocation fails past its retries (States.TaskFailed). */
  faultAt?: string;
}

interface Walk {
  landed: string;
  /** The step the human task waits on when it landed there. */
  step?: HumanStep;
  level?: number;
  /** Every state entered, as Step Functions bills them (errors in parentheses). */
  path: string[];
  branches: string[];
}

type TaskResult = { ok: true; output: unknown } | { ok: false; error: string; cause: string };
const timer = (step: HumanStep, level = 0): Timer => ({ step, level, timeoutSeconds: level ? 60 : 3600 });
const closed = (): TaskResult => ({ ok: false, error: 'CaseClosed', cause: 'the case closed' });
/** Where the case is after a stage: the next step's timer, or the case closed. */
const after = (stage: NextStage, lambda: boolean): TaskResult =>
  stage.next === 'closed'
    ? closed()
    : { ok: true, output: lambda ? { Payload: timer(stage.next), StatusCode: 200 } : timer(stage.next) };

function invoke(
  name: string,
  state: State,
  doc: unknown,
  world: World,
  faulted: Set<string>,
  turns: Turn[],
): TaskResult {
  const where = `${name} (Task)`;
  if (world.faultAt === name && !faulted.has(name)) {
    faulted.add(name);
    return { ok: false, error: 'States.TaskFailed', cause: 'the fault outlived the retries' };
  }
  const fn = functionOf(state);
  const payload = (template(state.Parameters, doc, where) as { Payload: Record<string, any> }).Payload;
  const lambda = (output: Timer): TaskResult => ({ ok: true, output: { Payload: output, StatusCode: 200 } });
  if (isHumanTask(state)) {
    if (fn !== FUNCTION.openTask) throw new Error(`${where}: waits for a task token from ${fn}`);
    const turn = turns.shift();
    if (!turn) throw new Error(`${where}: no turn left`);
    if (turn === 'timeout') return { ok: false, error: 'States.Timeout', cause: 'the deadline passed' };
    if (turn.decision.step !== payload.step)
      throw new Error(
        `${where}: waits on the ${payload.step} step but the turn decides the ${turn.decision.step} step`,
      );
    // As record-decision.ts and decide-task.ts: the next step's timer as the task's output, or CaseClosed.
    return after(stageAfter(turn.decision), false);
  }
  switch (fn) {
    case FUNCTION.acknowledge: {
      const resumed = stepAtResumePoint(payload.resumeAt);
      if (!resumed && world.evidenceNeeded === undefined)
        throw new Error(`${where}: the test did not say whether evidence is needed`);
      return lambda(timer(resumed ?? (world.evidenceNeeded ? 'evidence' : 'acceptance')));
    }
    case FUNCTION.deadline: {
      // As deadline-passed.ts: moved on, escalated, or lapsed.
      if (world.movedTo) return { ok: false, error: 'StepMoved', cause: 'a decision moved the case on' };
      const step = payload.step as HumanStep;
      return escalates(step) ? lambda(timer(step, (payload.level as number) + 1)) : after(stageAfterLapse(step), true);
    }
    case FUNCTION.begin:
      return lambda(timer(world.movedTo ?? (read(doc, '$.task.step', where).value as HumanStep)));
    default:
      throw new Error(`${where}: calls ${fn}, which this walker does not stand in for`);
  }
}

const KNOWN_FIELDS: Record<string, readonly string[]> = {
  Task: [
    'Type',
    'Comment',
    'Resource',
    'Parameters',
    'ResultSelector',
    'ResultPath',
    'Retry',
    'Catch',
    'TimeoutSecondsPath',
    'Next',
    'End',
  ],
  Choice: ['Type', 'Comment', 'Choices', 'Default'],
  Pass: ['Type', 'Comment', 'Result', 'Parameters', 'ResultPath', 'Next'],
  Wait: ['Type', 'Comment', 'Seconds', 'Next'],
  Succeed: ['Type', 'Comment'],
  Fail: ['Type', 'Comment', 'Error', 'Cause'],
};

function walk(from: string, input: unknown, world: World): Walk {
  const path: string[] = [];
  const branches: string[] = [];
  const passed = new Set<string>();
  const faulted = new Set<string>();
  const turns = [...(world.turns ?? [])];
  let doc = input;
  let name = from;
  for (let hops = 0; hops < 100; hops++) {
    const state = STATES[name];
    if (!state) throw new Error(`after ${path.join(' → ')}: no state named ${name}`);
    const known = KNOWN_FIELDS[state.Type];
    if (!known) throw new Error(`${name}: state type ${state.Type} is not implemented by this walker`);
    const unknown = Object.keys(state).filter((f) => !known.includes(f));
    if (unknown.length) throw new Error(`${name}: field(s) ${unknown.join(', ')} not implemented by this walker`);
    const waiting = isHumanTask(state) && turns.length === 0 && !(world.faultAt === name && !faulted.has(name));
    if (state.Type === 'Succeed' || state.Type === 'Fail' || waiting || (passed.has(name) && !isHumanTask(state))) {
      path.push(name);
      const task = read(doc, '$.task', name).value as Timer | undefined;
      return { landed: name, path, branches, ...(waiting && task ? { step: task.step, level: task.level } : {}) };
    }
    passed.add(name);
    if (state.Type === 'Choice') {
      const index = (state.Choices ?? []).findIndex((rule, i) => matches(rule, doc, `${name}.Choices[${i}]`));
      if (index < 0 && !state.Default)
        throw new Error(
          `${name}: no rule matches and there is no Default (States.NoChoiceMatched); input was ${JSON.stringify(doc)}`,
        );
      const branch = index < 0 ? 'Default' : `Choices[${index}]`;
      branches.push(`${name}.${branch}`);
      path.push(`${name} (${branch})`);
      name = index < 0 ? state.Default! : state.Choices![index]!.Next;
      continue;
    }
    if (state.Type === 'Pass' || state.Type === 'Wait') {
      path.push(name);
      if (state.Type === 'Pass')
        doc = write(
          doc,
          state.ResultPath,
          'Result' in state
            ? state.Result
            : state.Parameters
              ? template(state.Parameters, doc, `${name}.Parameters`)
              : doc,
          `${name}.ResultPath`,
        );
      name = state.Next!;
      continue;
    }
    path.push(name);
    const result = invoke(name, state, doc, world, faulted, turns);
    if (!result.ok) {
      const retried = (state.Retry ?? []).find(
        (r) =>
          r.ErrorEquals.includes(result.error) ||
          (result.error !== 'States.Timeout' && r.ErrorEquals.includes('States.TaskFailed')),
      );
      if (result.error !== 'States.TaskFailed' && retried && retried.MaxAttempts !== 0)
        throw new Error(
          `${name}: ${result.error} is retried (${JSON.stringify(retried.ErrorEquals)}), so the step runs again instead of going on`,
        );
      const handler = (state.Catch ?? []).find(
        (c) => c.ErrorEquals.includes(result.error) || c.ErrorEquals.includes('States.ALL'),
      );
      if (!handler) throw new Error(`${name}: ${result.error} is not caught, so the execution fails`);
      path[path.length - 1] = `${name} (${result.error})`;
      doc =
        handler.ResultPath === null
          ? doc
          : write(doc, handler.ResultPath, { Error: result.error, Cause: result.cause }, `${name}.Catch`);
      name = handler.Next;
      continue;
    }
    const selected = state.ResultSelector
      ? template(state.ResultSelector, result.output, `${name}.ResultSelector`)
      : result.output;
    doc = write(doc, state.ResultPath, selected, `${name}.ResultPath`);
    if (state.End || !state.Next) throw new Error(`${name}: the execution ends here without a Succeed state`);
    name = state.Next;
  }
  throw new Error(`from ${from}: more than 100 states without landing: ${path.join(' → ')}`);
}

const NEW_CASE = { complaintId: 'c-0001', faults: { count: 0 } };
const atTask = (step: HumanStep, level = 0) => ({ ...NEW_CASE, task: timer(step, level) });
const expectLanding = (w: Walk, where: string, step?: HumanStep) => {
  expect(w.landed, `${w.path.join(' → ')}`).toBe(where);
  if (step) expect(w.step, `${w.path.join(' → ')}`).toBe(step);
};

describe('where the workflow sends a case after a decision', () => {
  it('lists every decision each step offers (STEP_DECISIONS), and nothing else', () => {
    const offered = HUMAN_STEPS.flatMap((step) => STEP_DECISIONS[step].map((d) => `${step}:${d}`));
    expect(Object.keys(DECISION_CASES).sort()).toEqual(offered.sort());
  });

  for (const { subject, decision } of Object.values(DECISION_CASES)) {
    const stage = stageAfter(decision);
    it(`${stage.next === 'closed' ? `closes ${subject}` : `sends ${subject} to the ${stage.next} step`} in one state transition, as stageAfter says`, () => {
      const w = walk(AWAIT, atTask(decision.step), { turns: [{ decision }] });
      if (stage.next === 'closed') expect(w.path).toEqual([`${AWAIT} (CaseClosed)`, CLOSED]);
      else {
        expectLanding(w, AWAIT, stage.next);
        expect(w.path).toEqual([AWAIT, AWAIT]);
      }
    });
  }
});

describe('when a task’s deadline passes', () => {
  for (const step of HUMAN_STEPS) {
    if (escalates(step)) {
      it(`gives a late ${step} step to the next person up and waits on the task again: it never ends unheld`, () => {
        const w = walk(AWAIT, atTask(step), { turns: ['timeout'] });
        expectLanding(w, AWAIT, step);
        expect(w.level).toBe(1);
        expect(w.path).toContain(DEADLINE);
      });
    } else {
      const stage = stageAfterLapse(step);
      it(`${stage.next === 'closed' ? 'closes the case' : `goes on to the ${stage.next} step`} when the ${step} step lapses, as stageAfterLapse says`, () => {
        const w = walk(AWAIT, atTask(step), { turns: ['timeout'] });
        if (stage.next === 'closed') expectLanding(w, CLOSED);
        else expectLanding(w, AWAIT, stage.next);
      });
    }
  }

  it('reopens the step the case records when a decision moved it on meanwhile (StepMoved)', () => {
    const w = walk(AWAIT, atTask('acceptance'), { turns: ['timeout'], movedTo: 'investigation' });
    expectLanding(w, AWAIT, 'investigation');
    expect(w.path).toContain(`${DEADLINE} (StepMoved)`);
    expect(w.path).toContain(REOPEN);
  });
});

describe('where the workflow starts a case', () => {
  it('reads every resume point begin-step.ts records (Begin<Step>) as its step, and nothing else as one', () => {
    for (const step of HUMAN_STEPS) expect(stepAtResumePoint(resumePointOf(step))).toBe(step);
    expect(stepAtResumePoint('BeginSomethingElse')).toBeUndefined();
  });

  it('acknowledges a new complaint, then asks for the evidence its category requires, or goes to the acceptance review', () => {
    expectLanding(walk(definition.StartAt, NEW_CASE, { evidenceNeeded: true }), AWAIT, 'evidence');
    expectLanding(walk(definition.StartAt, NEW_CASE, { evidenceNeeded: false }), AWAIT, 'acceptance');
    expectLanding(
      walk(definition.StartAt, { ...NEW_CASE, resumeAt: 'BeginSomethingElse' }, { evidenceNeeded: false }),
      AWAIT,
      'acceptance',
    );
  });

  for (const step of HUMAN_STEPS)
    it(`resumes a re-driven case at the ${step} step`, () =>
      expectLanding(walk(definition.StartAt, { ...NEW_CASE, resumeAt: resumePointOf(step) }, {}), AWAIT, step));

  it('runs the happy path (accept, findings, reply, a rating) in 6 state transitions: one per human step', () => {
    const w = walk(definition.StartAt, NEW_CASE, {
      evidenceNeeded: false,
      turns: [
        DECISION_CASES['acceptance:accept'],
        DECISION_CASES['investigation:record-findings'],
        DECISION_CASES['reply:send-reply'],
        DECISION_CASES['survey:rate'],
      ].map(({ decision }) => ({ decision })),
    });
    expect(w.path).toEqual(['AcknowledgeReceipt', AWAIT, AWAIT, AWAIT, `${AWAIT} (CaseClosed)`, CLOSED]);
  });
});

const TASK_STATES = Object.keys(STATES).filter((n) => STATES[n]!.Type === 'Task');
const FAULT_CAP = (STATES.RetryLater?.Choices ?? []).find((rule) => 'NumericGreaterThan' in rule)?.NumericGreaterThan as
  | number
  | undefined;
const docFor = (name: string) => (name === definition.StartAt ? NEW_CASE : atTask('acceptance'));

describe('what the workflow does when a step keeps failing', () => {
  it('catches every error of every Task (after its Retry) into the wait-and-retry path, never retrying CaseClosed or StepMoved', () => {
    for (const name of TASK_STATES) {
      const state = STATES[name]!;
      expect(state.Catch?.at(-1)?.ErrorEquals, name).toEqual(['States.ALL']);
      expect(state.Retry?.[0], name).toEqual({ ErrorEquals: ['CaseClosed', 'StepMoved'], MaxAttempts: 0 });
      expect(state.Catch?.find((c) => c.ErrorEquals.includes('CaseClosed'))?.Next, name).toBe(CLOSED);
      expect(state.Catch?.find((c) => c.ErrorEquals.includes('StepMoved'))?.Next, name).toBe(REOPEN);
    }
    expect(FAULT_CAP! * (STATES.WaitToRetry!.Seconds as number)).toBeGreaterThanOrEqual(24 * 3600);
  });

  it('matches by name exactly the errors the workflow contract defines, and the code throws them by those names', () => {
    // Step Functions' own errors (States.*) and the Lambda service's (Lambda.*) are not ours to name.
    const ours = new Set(
      Object.values(STATES)
        .flatMap((state) => [...(state.Retry ?? []), ...(state.Catch ?? [])])
        .flatMap((rule) => rule.ErrorEquals)
        .filter((error) => !error.startsWith('States.') && !error.startsWith('Lambda.')),
    );
    expect([...ours].sort()).toEqual(Object.values(WORKFLOW_ERRORS).sort());
    expect(new CaseClosed('C').name).toBe(WORKFLOW_ERRORS.caseClosed);
    expect(new StepMoved('C', 'acceptance').name).toBe(WORKFLOW_ERRORS.stepMoved);
  });

  for (const name of TASK_STATES) {
    it(`waits and tries ${name} again when it fails past its retries: the execution does not fail`, () => {
      const w = walk(name, docFor(name), { faultAt: name, evidenceNeeded: false });
      expect(w.landed, w.path.join(' → ')).toBe(isHumanTask(STATES[name]!) ? AWAIT : name);
      expect(w.path).toContain('WaitToRetry');
    });
    it(`stops ${name} in a named failure once faults have been retried for a day, so the failure alarm fires`, () => {
      const w = walk(name, { ...docFor(name), faults: { count: FAULT_CAP } }, { faultAt: name, evidenceNeeded: false });
      expect(w.landed, w.path.join(' → ')).toBe('HandlingStuck');
    });
  }

  it('takes every branch of every Choice state', () => {
    const walks = TASK_STATES.flatMap((name) => [
      walk(name, docFor(name), { faultAt: name, evidenceNeeded: false }),
      walk(name, { ...docFor(name), faults: { count: FAULT_CAP } }, { faultAt: name, evidenceNeeded: false }),
    ]);
    const taken = new Set(walks.flatMap((w) => w.branches));
    const inDefinition = Object.entries(STATES)
      .filter(([, s]) => s.Type === 'Choice')
      .flatMap(([name, s]) => [
        ...(s.Choices ?? []).map((_, i) => `${name}.Choices[${i}]`),
        ...(s.Default ? [`${name}.Default`] : []),
      ]);
    expect(inDefinition.filter((b) => !taken.has(b) && b !== 'RetryFaulted.Default')).toEqual([]);
  });
});
