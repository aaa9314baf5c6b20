import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../../functions/domain/complaint';
import { newComplaintId } from '../../functions/domain/ids';
import { STEP_STATUS, type HumanStep } from '../../functions/domain/lifecycle';
import { SWEEP_QUIET_MS } from '../../functions/domain/stalled';
import { resumePointOf } from '../../functions/domain/workflow-contract';
import { putComplaint, type ComplaintItem } from '../../functions/store/complaints';
import { sweepDueFields } from '../../functions/store/sweep-due';

/**
 * Open cases as a busy desk holds them, built with the product's own item builder (complaints.ts
 * putComplaint) and due times (sweep-due.ts), for a bench or a test to write straight into a
 * table: received over the last three days (at a million a day, a million would be open), 5 %
 * between steps and 5 % just acknowledged (due minutes ahead, their executions about to move
 * them: 10 to 15 minutes here, so that none falls due while a large seed is written), 60 %
 * waiting on staff (deadlines up to 3 days ahead) and 30 % waiting on the complainant or the
 * respondent (up to 7 days ahead). The first `stalled` cases are in those same states, but quiet
 * and due 6 to 50 minutes ago, with no execution: what the sweep must find.
 */
const fixtures = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/complaints.json'), 'utf8'))
  .complaints as { body: Record<string, any> }[];
const BODIES = [1, 2, 3, 6, 7, 10].map((i) => fixtures[i]!.body);
const STAFF_STEPS: HumanStep[] = ['acceptance', 'investigation', 'reply', 'review'];
const PEOPLE_STEPS: HumanStep[] = ['evidence', 'information', 'statement', 'survey'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface SeededCase {
  item: Record<string, unknown>;
  stalled: boolean;
}

/** A deterministic stream of open cases (the same seed gives the same cases). */
export function* seedOpenCases(options: {
  open: number;
  stalled: number;
  now: Date;
  seed?: number;
}): Generator<SeededCase> {
  // mulberry32: 32-bit integer arithmetic (a float LCG loses precision and repeats within thousands).
  let state = (options.seed ?? 7) >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const now = options.now.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let i = 0; i < options.open; i++) {
    const stalled = i < options.stalled;
    const receivedAt = now - Math.floor(random() * 3 * 24 * HOUR) - 10 * MINUTE;
    const id = newComplaintId(new Date(receivedAt), bytes);
    const body = structuredClone(BODIES[i % BODIES.length]!);
    body.complainant.email = `seed-${i}@example.com`;
    const kind = i % 20;
    const step: HumanStep | undefined =
      kind < 2
        ? kind === 0
          ? 'investigation'
          : undefined
        : kind < 14
          ? STAFF_STEPS[kind % STAFF_STEPS.length]
          : PEOPLE_STEPS[kind % PEOPLE_STEPS.length];
    const waiting = kind >= 2;
    // A stalled case went quiet and its due time passed; any other is due ahead.
    const dueAt = stalled
      ? now - (6 * MINUTE + Math.floor(random() * 44 * MINUTE))
      : waiting
        ? now + HOUR + Math.floor(random() * (STAFF_STEPS.includes(step!) ? 72 : 168) * HOUR)
        : now + 10 * MINUTE + Math.floor(random() * 5 * MINUTE);
    const deadlineAt = waiting ? iso(dueAt - SWEEP_QUIET_MS) : undefined;
    // When it last moved: a stalled case before it went quiet, a waiting one when its task opened.
    const updatedAt = stalled
      ? dueAt - SWEEP_QUIET_MS - Math.floor(random() * 10 * MINUTE)
      : waiting
        ? Math.max(receivedAt + MINUTE, now - Math.floor(random() * 48 * HOUR))
        : now - MINUTE;
    const record: ComplaintItem = {
      ...(body as ComplaintRecord),
      complainant: { ...body.complainant, language: 'zh-CN' },
      id,
      number: `TS-SEED-${String(i).padStart(8, '0')}`,
      status: step ? STEP_STATUS[step] : 'received',
      language: 'zh-CN',
      trackingSalt: `salt${i}`,
      receivedAt: iso(receivedAt),
      updatedAt: iso(updatedAt),
      acceptanceDeadlineAt: iso(receivedAt + 24 * HOUR),
      acknowledgedAt: iso(receivedAt + 1000),
      workflowStartedAt: iso(receivedAt + 500),
      complainantKey: `seed-complainant-${i}`,
      subjectKey: `seed-subject-${i % 5000}`,
      ...(step
        ? {
            currentStep: step,
            level: 0,
            workflowResumeAt: resumePointOf(step),
            ...(deadlineAt ? { deadlineAt } : { deadlineAt: iso(now + 48 * HOUR) }),
            ...(waiting
              ? {
                  assignee: STAFF_STEPS.includes(step) ? 'trust.handler@example.org' : body.complainant.email,
                  currentTaskLinkHash: `seed-link-${i}`,
                }
              : {}),
          }
        : {}),
    };
    const { Item } = putComplaint(record).Put;
    yield { item: { ...Item, ...sweepDueFields(id, new Date(dueAt)) }, stalled };
  }
}

/** Writes the cases in batches of 25, `inFlight` batches at a time, retrying what DynamoDB left unprocessed. */
export async function writeSeed(
  documents: DynamoDBDocumentClient,
  tableName: string,
  cases: Iterable<SeededCase>,
  inFlight = 4,
): Promise<{ written: number; stalledIds: string[] }> {
  const iterator = cases[Symbol.iterator]();
  const stalledIds: string[] = [];
  let written = 0;
  const nextBatch = () => {
    const batch: Record<string, unknown>[] = [];
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      batch.push(next.value.item);
      if (next.value.stalled) stalledIds.push(next.value.item.id as string);
      if (batch.length === 25) break;
    }
    return batch;
  };
  const writer = async () => {
    for (let batch = nextBatch(); batch.length; batch = nextBatch()) {
      let pending: unknown[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        pending = (await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } })))
          .UnprocessedItems?.[tableName];
      }
      written += batch.length;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, writer));
  return { written, stalledIds };
}
