import { readFileSync } from 'node:fs';
import type { MiddyfiedHandler } from '@middy/core';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_DEFINITION_FILE } from '../../functions/catalog';
import { escalates } from '../../functions/domain/escalation';
import { HUMAN_STEPS, STEP_ROLE, type HumanStep } from '../../functions/domain/lifecycle';
import { STEP_DECISIONS, stageAfter, stageAfterLapse, type NextStage, type StepDecision } from '../../functions/domain/steps';
import type { TaskOutcome } from '../../functions/domain/decisions';
import { resumePointOf, stepAtResumePoint } from '../../functions/app/begin-step';
import type { handler as acknowledgeReceiptHandler } from '../../functions/workflow/acknowledge-receipt';
import type { handler as beginStepHandler } from '../../functions/workflow/begin-step';
import type { handler as escalateStepHandler } from '../../functions/workflow/escalate-step';
import type { handler as recordDecisionHandler } from '../../functions/workflow/record-decision';
import type { handler as recordLapseHandler } from '../../functions/workflow/record-lapse';

/*
 * Where a case goes next is the domain's to say (stageAfter, stageAfterLapse in
 * functions/domain/steps.ts); the workflow definition states it a second time in its Choice
 * states and Next/Catch wiring. These tests walk the definition itself, the way Step Functions
 * would, with each Lambda replaced by what it returns (shaped by the handlers' own types), and
 * check that every decision and every lapse lands where the domain says. A difference is reported
 * as: the state, the decision, what the domain says, and the path the definition takes.
 */

// ---------------------------------------------------------------------------------------------
// Every decision a step can produce. The mapped type makes this table exhaustive over the
// StepDecision union: a new decision type does not compile until it is listed here.

type DecisionCases = { [D in StepDecision as `${D['step']}:${D['decision']}`]: { subject: string; decision: D } };

const DECISION_CASES = {
  'evidence:evidence-received': { subject: 'a complaint whose evidence arrived', decision: { step: 'evidence', decision: 'evidence-received' } },
  'acceptance:accept': { subject: 'an accepted complaint', decision: { step: 'acceptance', decision: 'accept' } },
  'acceptance:reject': { subject: 'a rejected complaint', decision: { step: 'acceptance', decision: 'reject', reason: 'out-of-scope' } },
  'acceptance:request-info': { subject: 'a complaint the handler has a question about', decision: { step: 'acceptance', decision: 'request-info', question: 'Which account?' } },
  'information:answer': { subject: "the complainant's answer", decision: { step: 'information', decision: 'answer', answer: 'The second one.' } },
  'investigation:record-findings': {
    subject: 'a complaint with recorded findings',
    decision: { step: 'investigation', decision: 'record-findings', findings: 'The post broke the rules.', actions: ['remove-content-and-warn'] },
  },
  'investigation:request-statement': {
    subject: "a complaint that needs the respondent's side",
    decision: { step: 'investigation', decision: 'request-statement', respondentEmail: 'respondent@example.org', question: 'What happened?' },
  },
  'statement:submit-statement': { subject: "the respondent's statement", decision: { step: 'statement', decision: 'submit-statement', statement: 'It was a mistake.' } },
  'reply:send-reply': { subject: 'a replied complaint', decision: { step: 'reply', decision: 'send-reply', reply: 'We removed it.', grounds: 'Rule 3.' } },
  'survey:rate': { subject: 'a rated complaint', decision: { step: 'survey', decision: 'rate', rating: 4 } },
  'survey:request-review': { subject: 'a complaint whose complainant asks for a review', decision: { step: 'survey', decision: 'request-review', reason: 'The reply ignores my evidence.' } },
  'review:uphold': { subject: 'a complaint whose outcome the reviewer upholds', decision: { step: 'review', decision: 'uphold', reason: 'The reply was right.' } },
  'review:overturn': {
    subject: 'a complaint whose outcome the reviewer overturns',
    decision: { step: 'review', decision: 'overturn', reason: 'The evidence was overlooked.', reply: 'We restored your post.' },
  },
} satisfies DecisionCases;

/** How a step reads as a destination in a test's name. */
const STEP_AS_DESTINATION: Record<HumanStep, string> = {
  evidence: 'the evidence step',
  acceptance: 'the acceptance review',
  information: 'the complainant for more information',
  investigation: 'the investigation',
  statement: 'the respondent for a statement',
  reply: 'the reply',
  survey: 'the satisfaction survey',
  review: 'the review',
};

// What the workflow's Lambdas return, from their own types: a handler that changes its answer's
// shape no longer compiles against the stand-ins below.
type ResultOf<H> = H extends MiddyfiedHandler<any, infer R, any, any, any> ? R : never;
type AcknowledgeReceiptResult = ResultOf<typeof acknowledgeReceiptHandler>;
type BeginStepResult = ResultOf<typeof beginStepHandler>;
type EscalateStepResult = ResultOf<typeof escalateStepHandler>;
type RecordDecisionResult = ResultOf<typeof recordDecisionHandler>;
type RecordLapseResult = ResultOf<typeof recordLapseHandler>;

// ---------------------------------------------------------------------------------------------
// The definition, and the states that play each role in it (found by the function they call and
// the step they pass, not by their names).

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
  Catch?: { ErrorEquals: string[]; ResultPath?: string | null; Next: string }[];
  [field: string]: unknown;
}

const definition = JSON.parse(readFileSync(WORKFLOW_DEFINITION_FILE, 'utf8')) as { StartAt: string; States: Record<string, State> };
const STATES = definition.States;

const FUNCTION = {
  acknowledge: '${AcknowledgeReceiptFunctionArn}',
  begin: '${BeginStepFunctionArn}',
  openTask: '${OpenTaskFunctionArn}',
  record: '${RecordDecisionFunctionArn}',
  lapse: '${RecordLapseFunctionArn}',
  escalate: '${EscalateStepFunctionArn}',
} as const;

const functionOf = (state: State): string | undefined => (state.Parameters as { FunctionName?: string } | undefined)?.FunctionName;
const literalStepOf = (state: State): unknown => ((state.Parameters as { Payload?: Record<string, unknown> } | undefined)?.Payload ?? {}).step;

/** Every state calling `fn`, by the literal step it passes. */
function statesCalling(fn: string): Map<HumanStep, string> {
  const byStep = new Map<HumanStep, string>();
  for (const [name, state] of Object.entries(STATES)) {
    if (state.Type !== 'Task' || functionOf(state) !== fn) continue;
    const step = literalStepOf(state) as HumanStep;
    if (!(HUMAN_STEPS as readonly unknown[]).includes(step)) throw new Error(`${name} calls ${fn} with step ${JSON.stringify(step)}, which is not a HumanStep`);
    if (byStep.has(step)) throw new Error(`both ${byStep.get(step)} and ${name} call ${fn} for the ${step} step`);
    byStep.set(step, name);
  }
  return byStep;
}

const RECORD_STATES = statesCalling(FUNCTION.record);
const LAPSE_STATES = statesCalling(FUNCTION.lapse);
const ESCALATE_STATES = statesCalling(FUNCTION.escalate);

function roleState(states: Map<HumanStep, string>, step: HumanStep, what: string): string {
  const name = states.get(step);
  if (!name) throw new Error(`the definition has no state that ${what} the ${step} step`);
  return name;
}
const recordStateOf = (step: HumanStep) => roleState(RECORD_STATES, step, `records a decision of (a Task calling ${FUNCTION.record} with step "${step}")`);
const lapseStateOf = (step: HumanStep) => roleState(LAPSE_STATES, step, `records a lapse of (a Task calling ${FUNCTION.lapse} with step "${step}")`);
const escalateStateOf = (step: HumanStep) => roleState(ESCALATE_STATES, step, `escalates (a Task calling ${FUNCTION.escalate} with step "${step}")`);
const WAIT_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const isHumanTask = (state: State) => state.Type === 'Task' && state.Resource === WAIT_RESOURCE;
/** A step's human task: the waitForTaskToken Task whose decision goes to the step's Record state. */
function waitStateOf(step: HumanStep): string {
  const names = Object.keys(STATES).filter((n) => isHumanTask(STATES[n]!) && STATES[n]!.Next === recordStateOf(step));
  if (names.length !== 1) throw new Error(`expected one human task leading to ${recordStateOf(step)} for the ${step} step, found ${names.join(', ') || 'none'}`);
  return names[0]!;
}

function onlyStateOfType(type: string): string {
  const names = Object.keys(STATES).filter((n) => STATES[n]!.Type === type);
  if (names.length !== 1) throw new Error(`expected one ${type} state, found ${names.join(', ') || 'none'}`);
  return names[0]!;
}
const CLOSED = onlyStateOfType('Succeed');

/** The state where the case is once `stage` begins: that step's human task, or Closed. */
const stateOf = (stage: NextStage): string => (stage.next === 'closed' ? CLOSED : waitStateOf(stage.next));
const describeStage = (stage: NextStage): string => (stage.next === 'closed' ? `next "closed" (outcome ${stage.outcome})` : `next "${stage.next}"`);

// ---------------------------------------------------------------------------------------------
// A small JSONPath interpreter: only what the definition uses. Anything else fails loudly.

const PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const CONTEXT = { Task: { Token: 'task-token' } };

function segments(path: string, where: string): string[] {
  if (!PATH.test(path)) throw new Error(`${where}: path ${JSON.stringify(path)} is beyond what this walker implements ($ or $.a.b only)`);
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
        if (!got.found || typeof got.value !== 'number') throw new Error(`${where}: ${key} adds to ${add[1]}, which the input does not have as a number (States.Runtime in Step Functions)`);
        out[key.slice(0, -2)] = got.value + Number(add[2]);
        continue;
      }
      if (typeof value !== 'string' || value.startsWith('States.')) throw new Error(`${where}: ${key} is an intrinsic function other than States.MathAdd, or not a path; not implemented by this walker`);
      const got = read(doc, value, `${where} ${key}`);
      if (!got.found) throw new Error(`${where}: ${key} reads ${value}, which the input does not have (States.Runtime in Step Functions)`);
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
  if (typeof Variable !== 'string' || operators.length !== 1) throw new Error(`${where}: a rule needs one Variable and one operator, got ${JSON.stringify(rule)}`);
  const operator = operators[0]!;
  if (!CHOICE_OPERATORS.includes(operator)) throw new Error(`${where}: Choice operator ${operator} is not implemented by this walker; add it before relying on this test`);
  const expected = comparison[operator];
  const got = read(doc, Variable, where);
  if (operator === 'IsPresent') return got.found === expected;
  if (!got.found) throw new Error(`${where}: ${Variable} is absent from the input, so ${operator} fails the execution (States.Runtime in Step Functions); input was ${JSON.stringify(doc)}`);
  if (operator === 'StringEquals') return typeof got.value === 'string' && got.value === expected;
  if (operator === 'NumericGreaterThan') return typeof got.value === 'number' && got.value > (expected as number);
  return typeof got.value === 'boolean' && got.value === expected; // BooleanEquals
}

// ---------------------------------------------------------------------------------------------
// The walk: from one state, as Step Functions would run it, each Lambda answering as below,
// until the case reaches the Begin state of a step, a Succeed or Fail state, or a state it has
// already passed (an escalation's loop back to its task).

interface World {
  /** What AcknowledgeReceipt says. */
  evidenceNeeded?: boolean;
  /** What the person does with the task: decide, or let the deadline pass. */
  outcome?: { decision: StepDecision } | 'timeout';
  /** A state whose first invocation fails past its retries (States.TaskFailed). */
  faultAt?: string;
}

interface Walk {
  landed: string;
  /** The states passed, Choice states with the branch taken. */
  path: string[];
  /** `State.Choices[i]` or `State.Default`, for each Choice passed. */
  branches: string[];
}

type TaskResult = { ok: true; output: unknown } | { ok: false; error: string; cause: string };

function invoke(name: string, state: State, doc: unknown, world: World, faulted: Set<string>): TaskResult {
  const where = `${name} (Task)`;
  if (world.faultAt === name && !faulted.has(name)) {
    faulted.add(name);
    return { ok: false, error: 'States.TaskFailed', cause: 'the fault outlived the retries' };
  }
  const fn = functionOf(state);
  const waits = state.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken';
  if (!waits && state.Resource !== 'arn:aws:states:::lambda:invoke') throw new Error(`${where}: resource ${state.Resource} is not implemented by this walker`);
  const params = template(state.Parameters, doc, where) as { FunctionName: string; Payload: Record<string, any> };
  const payload = params.Payload;
  const lambda = (output: unknown): TaskResult => ({ ok: true, output: { Payload: output, StatusCode: 200 } });
  if (waits) {
    if (fn !== FUNCTION.openTask) throw new Error(`${where}: waits for a task token from ${fn}; the walker knows only ${FUNCTION.openTask}`);
    if (!world.outcome) throw new Error(`${where}: the case reached a human task but the test gave no outcome for it`);
    if (world.outcome === 'timeout') return { ok: false, error: 'States.Timeout', cause: 'the deadline passed' };
    const output = { ...world.outcome.decision, decidedBy: 'someone@example.org', decidedAt: '2030-01-01T00:00:00.000Z' } satisfies TaskOutcome;
    return { ok: true, output };
  }
  switch (fn) {
    case FUNCTION.acknowledge: {
      // As acknowledge-receipt.ts: a known resume point begins its step; otherwise the first step.
      const resumed = stepAtResumePoint(payload.resumeAt);
      if (!resumed && world.evidenceNeeded === undefined) throw new Error(`${where}: the test did not say whether evidence is needed`);
      const step: HumanStep = resumed ?? (world.evidenceNeeded ? 'evidence' : 'acceptance');
      return lambda({ next: step, step, level: 0, timeoutSeconds: 3600 } satisfies AcknowledgeReceiptResult);
    }
    case FUNCTION.record: {
      const decision = payload.decision as StepDecision;
      if (payload.step !== decision.step) throw new Error(`${where}: records step "${payload.step}" but the decision it passes is for step "${decision.step}"`);
      const { next } = stageAfter(decision);
      return lambda({ next, step: next === 'closed' ? decision.step : next, level: 0, timeoutSeconds: next === 'closed' ? 0 : 3600 } satisfies RecordDecisionResult);
    }
    case FUNCTION.lapse: {
      const { next } = stageAfterLapse(payload.step as HumanStep);
      return lambda({ next, step: next === 'closed' ? (payload.step as HumanStep) : next, level: 0, timeoutSeconds: next === 'closed' ? 0 : 3600 } satisfies RecordLapseResult);
    }
    case FUNCTION.escalate: {
      return lambda({ step: payload.step as HumanStep, level: (payload.level as number) + 1, timeoutSeconds: 60 } satisfies EscalateStepResult);
    }
    case FUNCTION.begin:
      return lambda({ next: payload.step as HumanStep, step: payload.step as HumanStep, level: 0, timeoutSeconds: 3600 } satisfies BeginStepResult);
    default:
      throw new Error(`${where}: calls ${fn}, which this walker does not stand in for`);
  }
}

const KNOWN_FIELDS: Record<string, readonly string[]> = {
  Task: ['Type', 'Comment', 'Resource', 'Parameters', 'ResultSelector', 'ResultPath', 'Retry', 'Catch', 'TimeoutSecondsPath', 'Next', 'End'],
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
  let doc = input;
  let name = from;
  for (let hops = 0; hops < 100; hops++) {
    const state = STATES[name];
    if (!state) throw new Error(`after ${path.join(' → ')}: no state named ${name}`);
    const known = KNOWN_FIELDS[state.Type];
    if (!known) throw new Error(`${name}: state type ${state.Type} is not implemented by this walker`);
    const unknown = Object.keys(state).filter((f) => !known.includes(f));
    if (unknown.length) throw new Error(`${name}: field(s) ${unknown.join(', ')} not implemented by this walker`);

    const arrived = passed.has(name) || (name !== from && (state.Type === 'Succeed' || state.Type === 'Fail' || isHumanTask(state)));
    if (arrived || (name === from && (state.Type === 'Succeed' || state.Type === 'Fail'))) {
      path.push(name);
      return { landed: name, path, branches };
    }
    passed.add(name);

    if (state.Type === 'Choice') {
      const index = (state.Choices ?? []).findIndex((rule, i) => matches(rule, doc, `${name}.Choices[${i}]`));
      if (index < 0 && !state.Default) throw new Error(`${name}: no rule matches and there is no Default (States.NoChoiceMatched); input was ${JSON.stringify(doc)}`);
      const branch = index < 0 ? 'Default' : `Choices[${index}]`;
      branches.push(`${name}.${branch}`);
      path.push(`${name} (${branch})`);
      name = index < 0 ? state.Default! : state.Choices![index]!.Next;
      continue;
    }

    if (state.Type === 'Pass' || state.Type === 'Wait') {
      path.push(name);
      if (state.Type === 'Pass') doc = write(doc, state.ResultPath, 'Result' in state ? state.Result : state.Parameters ? template(state.Parameters, doc, `${name}.Parameters`) : doc, `${name}.ResultPath`);
      if (!state.Next) throw new Error(`${name}: the execution ends here without a Succeed state`);
      name = state.Next;
      continue;
    }

    path.push(name);
    const result = invoke(name, state, doc, world, faulted);
    if (!result.ok) {
      const handler = (state.Catch ?? []).find((c) => c.ErrorEquals.includes(result.error) || c.ErrorEquals.includes('States.ALL'));
      if (!handler) throw new Error(`${name}: ${result.error} is not caught, so the execution fails`);
      path[path.length - 1] = `${name} (${result.error})`;
      doc = write(doc, handler.ResultPath, { Error: result.error, Cause: result.cause }, `${name}.Catch`);
      name = handler.Next;
      continue;
    }
    const selected = state.ResultSelector ? template(state.ResultSelector, result.output, `${name}.ResultSelector`) : result.output;
    doc = write(doc, state.ResultPath, selected, `${name}.ResultPath`);
    if (state.End || !state.Next) throw new Error(`${name}: the execution ends here without a Succeed state`);
    name = state.Next;
  }
  throw new Error(`from ${from}: more than 100 states without landing: ${path.join(' → ')}`);
}

// ---------------------------------------------------------------------------------------------
// The cases. Each one says where the domain sends the case; the walk says where the definition
// does. Coverage below runs them all again.

interface Case {
  name: string;
  from: string;
  input: Record<string, unknown>;
  world: World;
  /** The state the domain says the case reaches. */
  expected: () => string;
  /** States the walk must pass through (the Record<Step> / *Lapsed / Escalate state). */
  via: () => string[];
  /** What the domain says, for the message when the definition disagrees. */
  domain: () => string;
}

const CASE_ID = { complaintId: 'c-0001' };
/** What the workflow holds while a step's task is open: its timer (from the state that opened it) and the fault count. */
const atTask = (step: HumanStep) => ({ ...CASE_ID, faults: { count: 0 }, task: { next: step, step, level: 0, timeoutSeconds: 3600 } });
const destination = (subject: string, stage: NextStage) => (stage.next === 'closed' ? `closes ${subject} (${stage.outcome})` : `sends ${subject} to ${STEP_AS_DESTINATION[stage.next]}`);

const decisionCases: Case[] = Object.values(DECISION_CASES).map(({ subject, decision }) => {
  const stage = stageAfter(decision);
  return {
    name: `${destination(subject, stage)}, as stageAfter says`,
    from: waitStateOf(decision.step),
    input: atTask(decision.step),
    world: { outcome: { decision } },
    expected: () => stateOf(stageAfter(decision)),
    via: () => [recordStateOf(decision.step)],
    domain: () => `decision ${decision.step}:${decision.decision}, recorded by ${recordStateOf(decision.step)}: stageAfter says ${describeStage(stageAfter(decision))}, i.e. state ${stateOf(stageAfter(decision))}`,
  };
});

const LAPSING_STEPS = HUMAN_STEPS.filter((step) => !escalates(step));
const STAFF_STEPS = HUMAN_STEPS.filter((step) => escalates(step));

const lapseCases: Case[] = LAPSING_STEPS.map((step) => {
  const stage = stageAfterLapse(step);
  return {
    name: `${destination('the case', stage)} when the ${STEP_ROLE[step]} lets the ${step} step lapse, as stageAfterLapse says`,
    from: waitStateOf(step),
    input: atTask(step),
    world: { outcome: 'timeout' },
    expected: () => stateOf(stageAfterLapse(step)),
    via: () => [lapseStateOf(step)],
    domain: () => `lapse of the ${step} step, recorded by ${lapseStateOf(step)}: stageAfterLapse says ${describeStage(stageAfterLapse(step))}, i.e. state ${stateOf(stageAfterLapse(step))}`,
  };
});

const escalationCases: Case[] = STAFF_STEPS.flatMap((step): Case[] => [
  {
    name: `gives a late ${step} step to the next person up, or the last resort, and waits on the task again: it never ends unheld`,
    from: waitStateOf(step),
    input: atTask(step),
    world: { outcome: 'timeout' },
    expected: () => waitStateOf(step),
    via: () => [escalateStateOf(step)],
    domain: () => `the ${step} step escalates (escalates("${step}") is true) and goes back to its task ${waitStateOf(step)}`,
  },
]);

const startCases: Case[] = [
  {
    name: 'acknowledges a new complaint, then asks for the evidence its category requires',
    from: definition.StartAt,
    input: { ...CASE_ID },
    world: { evidenceNeeded: true },
    expected: () => waitStateOf('evidence'),
    via: () => [],
    domain: () => `a new complaint needing evidence begins the evidence step (${waitStateOf('evidence')})`,
  },
  {
    name: 'acknowledges a new complaint, then sends it to the acceptance review when no evidence is needed',
    from: definition.StartAt,
    input: { ...CASE_ID },
    world: { evidenceNeeded: false },
    expected: () => waitStateOf('acceptance'),
    via: () => [],
    domain: () => `a new complaint needing no evidence begins the acceptance step (${waitStateOf('acceptance')})`,
  },
  {
    name: 'starts from the acknowledgement when the resume point is unknown',
    from: definition.StartAt,
    input: { ...CASE_ID, resumeAt: 'BeginSomethingElse' },
    world: { evidenceNeeded: false },
    expected: () => waitStateOf('acceptance'),
    via: () => [],
    domain: () => `an unknown resumeAt starts from the acknowledgement, then (no evidence needed) begins the acceptance step (${waitStateOf('acceptance')})`,
  },
  ...HUMAN_STEPS.map((step): Case => ({
    name: `resumes a re-driven case at the ${step} step`,
    from: definition.StartAt,
    input: { ...CASE_ID, resumeAt: resumePointOf(step) },
    world: {},
    expected: () => waitStateOf(step),
    via: () => [],
    domain: () => `resumeAt "${resumePointOf(step)}" (what begin-step.ts records for the ${step} step) begins the ${step} step (${waitStateOf(step)})`,
  })),
];

/** What each kind of Task reads from the workflow's document, so that it can be walked from. */
function docFor(name: string): Record<string, unknown> {
  const state = STATES[name]!;
  const step = (literalStepOf(state) as HumanStep | undefined) ?? HUMAN_STEPS.find((s) => waitStateOf(s) === name) ?? 'acceptance';
  const decision = Object.values(DECISION_CASES).find((c) => c.decision.step === step)!.decision;
  return { ...atTask(step), decision: { ...decision, decidedBy: 'someone@example.org', decidedAt: '2030-01-01T00:00:00.000Z' } };
}

const TASK_STATES = Object.keys(STATES).filter((n) => STATES[n]!.Type === 'Task');
const faultCases: Case[] = TASK_STATES.map((name): Case => {
  const human = isHumanTask(STATES[name]!);
  return {
    name: `waits and tries ${name} again when it fails past its retries${human ? ' (the task reopened with its recorded deadline)' : ''}: the execution does not fail`,
    from: name,
    input: name === definition.StartAt ? { ...CASE_ID } : docFor(name),
    world: { faultAt: name, evidenceNeeded: false },
    expected: () => name,
    via: () => ['WaitToRetry'],
    domain: () => `a fault in ${name} that outlives its Retry is caught, waited out and ${name} runs again`,
  };
});

const FAULT_CAP = (STATES.RetryLater?.Choices ?? []).find((rule) => 'NumericGreaterThan' in rule)?.NumericGreaterThan as number | undefined;
const stuckCases: Case[] = ['AcknowledgeReceipt', waitStateOf('acceptance'), recordStateOf('reply')].map((name): Case => ({
  name: `stops ${name} in a named failure once faults have been retried for a day (${FAULT_CAP} waits), so the failure alarm fires`,
  from: name,
  input: { ...docFor(name), faults: { count: FAULT_CAP } },
  world: { faultAt: name },
  expected: () => 'HandlingStuck',
  via: () => ['RetryLater'],
  domain: () => `after ${FAULT_CAP} faults the case ends in HandlingStuck`,
}));

const ALL_CASES = [...decisionCases, ...lapseCases, ...escalationCases, ...startCases, ...faultCases, ...stuckCases];

function check(c: Case): Walk {
  let result: Walk;
  try {
    result = walk(c.from, c.input, c.world);
  } catch (error) {
    throw new Error(`The workflow definition cannot be walked for ${c.domain()}:\n  ${(error as Error).message}`);
  }
  const expected = c.expected();
  const route = result.path.join(' → ');
  expect(result.landed, `DISAGREEMENT: ${c.domain()}; but the definition goes ${route}`).toBe(expected);
  for (const state of c.via()) {
    expect(
      result.path.some((p) => p === state || p.startsWith(`${state} `)),
      `DISAGREEMENT: ${c.domain()}; the definition should pass ${state} but goes ${route}`,
    ).toBe(true);
  }
  return result;
}

describe('where the workflow sends a case after a decision', () => {
  it('lists every decision each step offers (STEP_DECISIONS), and nothing else', () => {
    const offered = HUMAN_STEPS.flatMap((step) => STEP_DECISIONS[step].map((d) => `${step}:${d}`));
    expect(Object.keys(DECISION_CASES).sort()).toEqual(offered.sort());
    for (const [key, { decision }] of Object.entries(DECISION_CASES)) expect(`${decision.step}:${decision.decision}`).toBe(key);
  });

  for (const c of decisionCases) it(c.name, () => void check(c));
});

describe('where the workflow sends a case when a step lapses', () => {
  it('lets the complainant and respondent steps lapse, and escalates the staff steps instead', () => {
    expect([...LAPSE_STATES.keys()].sort()).toEqual([...LAPSING_STEPS].sort());
    expect([...ESCALATE_STATES.keys()].sort()).toEqual([...STAFF_STEPS].sort());
  });

  for (const c of lapseCases) it(c.name, () => void check(c));
});

describe('what the workflow does when a staff step is late', () => {
  for (const c of escalationCases) it(c.name, () => void check(c));
});

describe('where the workflow starts a case', () => {
  it('reads every resume point begin-step.ts records (Begin<Step>) as its step, and nothing else as one', () => {
    for (const step of HUMAN_STEPS) expect(stepAtResumePoint(resumePointOf(step))).toBe(step);
    expect(stepAtResumePoint('BeginSomethingElse')).toBeUndefined();
    expect(stepAtResumePoint(undefined)).toBeUndefined();
  });

  it('gives each step one human task', () => {
    expect(HUMAN_STEPS.map(waitStateOf).sort()).toEqual(Object.keys(STATES).filter((n) => isHumanTask(STATES[n]!)).sort());
  });

  for (const c of startCases) it(c.name, () => void check(c));
});

/** The walks of every case that can be walked; a case that cannot fails its own test. */
function walkAll(): Walk[] {
  return ALL_CASES.flatMap((c) => {
    try {
      return [walk(c.from, c.input, c.world)];
    } catch {
      return [];
    }
  });
}

describe('what the workflow does when a step keeps failing', () => {
  it('catches every error of every Task (after its Retry) into the wait-and-retry path', () => {
    for (const name of TASK_STATES) {
      const catches = STATES[name]!.Catch ?? [];
      expect(catches.at(-1)?.ErrorEquals, name).toEqual(['States.ALL']);
      expect(STATES[name]!.Retry, name).toBeDefined();
    }
    expect(STATES.WaitToRetry?.Type).toBe('Wait');
    expect(STATES.HandlingStuck?.Type).toBe('Fail');
    expect(FAULT_CAP! * (STATES.WaitToRetry!.Seconds as number)).toBeGreaterThanOrEqual(24 * 3600);
  });

  for (const c of [...faultCases, ...stuckCases]) it(c.name, () => void check(c));
});

describe('the cases above', () => {
  it('take every branch of every Choice state in the definition', () => {
    const inDefinition = Object.entries(STATES)
      .filter(([, s]) => s.Type === 'Choice')
      .flatMap(([name, s]) => [...(s.Choices ?? []).map((_, i) => `${name}.Choices[${i}]`), ...(s.Default ? [`${name}.Default`] : [])]);
    const taken = new Set(walkAll().flatMap((w) => w.branches));
    const untested = inDefinition.filter((b) => !taken.has(b));
    expect(untested, `Choice branches no case takes (unreachable from the domain, or a case is missing): ${untested.join(', ')}`).toEqual([]);
    expect([...taken].sort()).toEqual([...inDefinition].sort());
  });

  it('pass through every state that records a decision or a lapse', () => {
    const passed = new Set(walkAll().flatMap((w) => w.path.map((p) => p.split(' ')[0]!)));
    const recorders = [...RECORD_STATES.values(), ...LAPSE_STATES.values()];
    expect(recorders.filter((s) => !passed.has(s))).toEqual([]);
    expect([...RECORD_STATES.keys()].sort()).toEqual([...HUMAN_STEPS].sort());
  });
});
