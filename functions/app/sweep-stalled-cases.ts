import {
  dueCaseStep,
  movesBy,
  recheckAt,
  settledByRecord,
  stalledVerdict,
  SWEEP_QUIET_MS,
  type ExecutionState,
  type StalledVerdict,
} from '../domain/stalled';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { METRICS, recordMetric } from '../lib/metrics';
import { executionArnFor, executionState, resumeComplaintWorkflow } from './shared/workflow';
import { ComplaintClosedError, updateComplaint } from '../store/complaints';
import {
  advanceSweepCheckpoint,
  dueCasesPage,
  makeDueNow,
  moveDueTime,
  sweepCheckpoint,
  sweptComplaints,
  type SweptComplaint,
} from '../store/open-cases';
import { dueHourOf, dueHourStart, hourDueKeys, nextDueHour, sweepDueFields, sweepDueKeys } from '../store/sweep-due';
import { getTaskLink, type TaskLinkRecord } from '../store/task-links';
import { beginStep } from './begin-step';
import { passOnDecision } from './shared/pass-on-decision';

/**
 * How fast one run asks Step Functions about executions: two thirds of DescribeExecution's refill
 * (15 a second; this sweep is the only caller), the rest left for people at the console.
 */
export const DESCRIBES_PER_SECOND = 10;
/** Due cases read per index page (and per batch read of their records). */
export const SWEEP_PAGE = 100;
/** Cases judged and acted on at once (a describe, a link read, perhaps a start and a write each). */
export const SWEEP_WORKERS = 8;
/** How long a run may keep taking cases when it runs outside Lambda (the local stack, the bench). */
export const SWEEP_BUDGET_MS = 15_000;
/** What a run leaves of its Lambda's time for the cases in hand to finish (each takes well under a second). */
export const SWEEP_MARGIN_MS = 5_000;
/**
 * An hour of the hour-keyed index (a table swept before the shard key) is called swept only this
 * long after it ended: a case made due at the end of an hour (by a clock a little behind, or a
 * write in flight) still lands in it before the sweep moves past.
 */
const BUCKET_SETTLE_MS = SWEEP_QUIET_MS;
// A case reopened for review whose execution died before its review step began records no step yet.
const REVIEW_START = 'BeginReview';

export interface SweepInput {
  /** A case touched more recently than this is left alone (default 5 minutes). */
  quietMs?: number;
  describesPerSecond?: number;
  /** How long this run may keep taking cases (real ms); in Lambda, its remaining time less the margin. */
  budgetMs?: number;
  pageSize?: number;
  workers?: number;
}

export interface SweepResult {
  /** Cases the index listed as due. */
  due: number;
  /** Of those, cases whose execution was asked about and judged. */
  judged: number;
  redriven: number;
  /** Due cases given a later look (still moving, the reconciler's, touched lately). */
  lookedAgainLater: number;
  failed: number;
  /** Whether the run stopped for time with due cases left (the next run takes them). */
  stoppedForTime: boolean;
  /** On a table swept before the shard key: the first hour of the hour-keyed index not yet fully swept, as recorded. */
  sweptBefore?: string;
}

export interface JudgedCase {
  complaint: SweptComplaint;
  /** Its current task link, when the execution had to be asked. */
  taskLink?: TaskLinkRecord;
  execution?: ExecutionState;
  verdict: StalledVerdict;
}

/** Paces calls at `perSecond` across workers; false when the next slot falls after `stopAt`. */
function pacer(perSecond: number, stopAt: number): () => Promise<boolean> {
  let next = Date.now();
  return async () => {
    if (!Number.isFinite(perSecond)) return Date.now() < stopAt;
    const slot = Math.max(next, Date.now());
    if (slot >= stopAt) return false;
    next = slot + 1000 / perSecond;
    const wait = slot - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return true;
  };
}

/** Runs `work` over the items with `workers` at once, taking no new item at or after `stopAt`; false when some were left. */
async function eachWithin<T>(
  items: readonly T[],
  workers: number,
  stopAt: number,
  work: (item: T) => Promise<boolean>,
): Promise<boolean> {
  let next = 0;
  let complete = true;
  const worker = async () => {
    while (complete && next < items.length) {
      if (Date.now() >= stopAt || !(await work(items[next++]!))) complete = false;
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, worker));
  return complete && next >= items.length;
}

/** Asks Step Functions about a case's execution and reads its current link, then judges it by the stalled rule. */
async function judge(complaint: SweptComplaint, now: Date, quietMs: number): Promise<JudgedCase> {
  const link = complaint.currentTaskLinkHash ? await getTaskLink(complaint.currentTaskLinkHash) : undefined;
  const execution = await executionState(complaint.executionArn ?? executionArnFor(complaint.id));
  return {
    complaint,
    taskLink: link,
    execution,
    verdict: stalledVerdict({ complaint, taskLink: link, execution, now, quietMs }),
  };
}

/**
 * Starts a stalled case again at the step it records (`workflowResumeAt`): its BeginStep keeps
 * the recorded deadline and level, and its OpenTask sends a fresh link and retires the old one.
 * The new execution's name comes from the record's last update: two sweeps that judged the same
 * record start one execution. The event's write makes the case due again within minutes (its
 * task should open by then).
 */
async function redrive(judged: JudgedCase & { verdict: { stalled: true } }): Promise<void> {
  const { complaint, execution, verdict } = judged;
  const previous = complaint.executionArn ?? executionArnFor(complaint.id);
  const resumeAt = complaint.workflowResumeAt ?? (complaint.status === 'review' ? REVIEW_START : undefined);
  const executionArn = await resumeComplaintWorkflow(
    complaint,
    resumeAt,
    `r${Date.parse(complaint.updatedAt).toString(36)}`,
  );
  const now = currentTime();
  const at = now.toISOString();
  await updateComplaint(
    complaint.id,
    sweepDueFields(complaint.id, movesBy(now)),
    {
      at,
      actor: 'system',
      action: 'workflow.redriven',
      details: {
        reason: verdict.reason,
        resumeAt: resumeAt ?? 'start',
        previousExecution: previous,
        previousStatus: execution ?? 'missing',
        executionArn,
      },
    },
    [],
    { whileOpen: true },
  );
  recordMetric(METRICS.casesRedriven, 1, { reason: verdict.reason });
  log.warn('stalled case re-driven', {
    complaintId: complaint.id,
    reason: verdict.reason,
    resumeAt,
    previousStatus: execution,
  });
}

/**
 * A recorded decision the workflow never heard (its SendTaskSuccess failed): told again with the
 * timer of the step the case records; a token refused meanwhile means the workflow found the
 * case moved on at the deadline.
 */
async function passOnUnheardDecision(judged: JudgedCase): Promise<void> {
  const link = judged.taskLink;
  if (link?.state !== 'decided' || !judged.complaint.currentStep) return;
  const timer = await beginStep({ complaintId: judged.complaint.id, step: judged.complaint.currentStep });
  // Refused: the workflow had heard after all (its next task is still opening) or moved on at the deadline.
  if (!(await passOnDecision(link, timer))) return;
  recordMetric(METRICS.casesRedriven, 1, { reason: 'decision-unheard' });
  log.warn('unheard decision passed on again', {
    complaintId: judged.complaint.id,
    step: judged.complaint.currentStep,
  });
}

/** Acts on a stalled verdict: re-drives the case, or tells its workflow the unheard decision again. */
async function moveStalled(one: JudgedCase & { verdict: { stalled: true } }): Promise<void> {
  if (one.verdict.reason === 'decision-unheard') await passOnUnheardDecision(one);
  else await redrive(one);
}

type Tally = Omit<SweepResult, 'stoppedForTime' | 'sweptBefore'>;

/**
 * One due case: its record settles most (closed or moved on: nothing; the reconciler's or
 * touched lately: a later look); the rest have their execution asked about (paced) and are
 * judged. A stalled case is moved (its write makes it due again); any other gets a later look,
 * backing off while it stays put. False when the pacing ran out of time before asking.
 */
async function sweepDueCase(
  complaint: SweptComplaint,
  options: { quietMs: number; ask: () => Promise<boolean> },
  tally: Tally,
): Promise<boolean> {
  const now = currentTime();
  const step = dueCaseStep(complaint, now, options.quietMs);
  if (step.next === 'skip') return true;
  const lookAgain = async (at: Date) => {
    if (await moveDueTime(complaint.id, complaint.sweepDueAt!, at)) tally.lookedAgainLater++;
  };
  if (step.next === 'look-again') {
    await lookAgain(step.at);
    return true;
  }
  if (!(await options.ask())) return false;
  try {
    const judged = await judge(complaint, now, options.quietMs);
    tally.judged++;
    if (!judged.verdict.stalled) {
      await lookAgain(recheckAt(complaint, now, options.quietMs));
      return true;
    }
    await moveStalled(judged as JudgedCase & { verdict: { stalled: true } });
    tally.redriven++;
    // Told again: its workflow opens the next task (whose write sets the due time), or it is looked at again.
    if (judged.verdict.reason === 'decision-unheard') await lookAgain(movesBy(now));
  } catch (error) {
    // Closed meanwhile: nothing to move.
    if (error instanceof ComplaintClosedError) return true;
    tally.failed++;
    log.error('could not re-drive a stalled case', { complaintId: complaint.id, error });
    // Tried again later (should this write fail too, the case stays due and the next run reads it).
    await lookAgain(recheckAt(complaint, now, options.quietMs)).catch(() => undefined);
  }
  return true;
}

/**
 * No case stops silently: finds the open cases whose time to move has passed (the bySweepDue
 * index, each shard up to now, page by page) and judges each: one with neither a running
 * execution nor a live task (nor a pending start, which is the start reconciler's) starts again
 * at its step, with an event on the case and a metric the desk alarms on. It reads what is due,
 * never every open case nor the time since it last ran, and stops taking cases when its time is
 * up, leaving the rest for the next run. On a table swept before the shard key it also walks the
 * hours of the hour-keyed index from its checkpoint, until its backfill. Scheduled every minute.
 */
export async function sweepStalledCases(input: SweepInput = {}): Promise<SweepResult> {
  const quietMs = input.quietMs ?? SWEEP_QUIET_MS;
  const pageSize = input.pageSize ?? SWEEP_PAGE;
  const workers = input.workers ?? SWEEP_WORKERS;
  const stopAt = Date.now() + (input.budgetMs ?? SWEEP_BUDGET_MS);
  const ask = pacer(input.describesPerSecond ?? DESCRIBES_PER_SECOND, stopAt);
  const now = currentTime();
  const until = now.toISOString();
  const tally: Tally = { due: 0, judged: 0, redriven: 0, lookedAgainLater: 0, failed: 0 };

  /** Every case due under these keys, each key's first page at once (most hold nothing due), then each to its end; false when time ran out first. */
  const sweepKeys = async (keys: string[]): Promise<boolean> => {
    const firstPages = await Promise.all(keys.map((key) => dueCasesPage({ key, until, limit: pageSize })));
    for (const [i, key] of keys.entries()) {
      let page: Awaited<ReturnType<typeof dueCasesPage>> | undefined = firstPages[i]!;
      while (page) {
        tally.due += page.ids.length;
        const complaints = page.ids.length ? await sweptComplaints(page.ids) : [];
        const done = await eachWithin(complaints, workers, stopAt, (complaint) =>
          sweepDueCase(complaint, { quietMs, ask }, tally),
        );
        if (!done) return false;
        if (!page.next) page = undefined;
        else if (Date.now() >= stopAt) return false;
        else page = await dueCasesPage({ key, until, limit: pageSize, startKey: page.next });
      }
    }
    return true;
  };

  let stoppedForTime = !(await sweepKeys(sweepDueKeys()));
  const checkpoint = await sweepCheckpoint();
  let sweptBefore = checkpoint;
  // The hour-keyed index of a table swept before the shard key: hour by hour from its checkpoint
  // (a run far behind reads its empty hours within its time too).
  if (checkpoint) {
    const lastHour = dueHourOf(now);
    for (let hour = checkpoint; hour <= lastHour && !stoppedForTime; hour = nextDueHour(hour)) {
      stoppedForTime = Date.now() >= stopAt || !(await sweepKeys(hourDueKeys(hour)));
      if (!stoppedForTime && dueHourStart(nextDueHour(hour)).getTime() + BUCKET_SETTLE_MS <= now.getTime())
        sweptBefore = nextDueHour(hour);
    }
    if (sweptBefore !== checkpoint) await advanceSweepCheckpoint(sweptBefore!, until);
  }
  if (tally.due) log.info('stalled cases swept', { ...tally, stoppedForTime, sweptBefore });
  return { ...tally, stoppedForTime, ...(sweptBefore ? { sweptBefore } : {}) };
}

/**
 * Judges the given cases now and moves the stalled ones: the local stack's start, over every open
 * record it found (its engine lost every execution), with no quiet period.
 */
export async function sweepCases(
  ids: readonly string[],
  input: { quietMs?: number } = {},
): Promise<{ judged: number; redriven: number; failed: number }> {
  const quietMs = input.quietMs ?? SWEEP_QUIET_MS;
  let judged = 0;
  let redriven = 0;
  let failed = 0;
  for (const complaint of await sweptComplaints(ids)) {
    const now = currentTime();
    if (settledByRecord({ complaint, now, quietMs })) continue;
    const one = await judge(complaint, now, quietMs);
    judged++;
    if (!one.verdict.stalled) continue;
    try {
      await moveStalled(one as JudgedCase & { verdict: { stalled: true } });
      redriven++;
    } catch (error) {
      if (error instanceof ComplaintClosedError) continue;
      failed++;
      log.error('could not re-drive a stalled case', { complaintId: complaint.id, error });
    }
  }
  return { judged, redriven, failed };
}

/** What Step Functions says of an execution that ended (its EventBridge event's detail). */
export interface ExecutionEnded {
  executionArn: string;
  name?: string;
  status: string;
  /** The execution's input, as JSON text (holds the complaint id). */
  input?: string | null;
}

const ENDED_UNFINISHED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * An execution ended without finishing its case (failed, timed out, stopped): if the case is
 * still open and runs on that execution, it is due now, so the next sweep judges it instead of
 * waiting for its task's deadline. A case closes only through its execution's `Closed` end, so
 * a succeeded execution needs nothing.
 */
export async function noteExecutionEnded(ended: ExecutionEnded): Promise<{ due: boolean }> {
  if (!ENDED_UNFINISHED.has(ended.status)) return { due: false };
  let complaintId: string | undefined;
  try {
    complaintId = (JSON.parse(ended.input ?? 'null') as { complaintId?: unknown } | null)?.complaintId as
      | string
      | undefined;
  } catch {
    complaintId = undefined;
  }
  // Execution names are `<id>`, `<id>-review` and `<id>-r<suffix>`; ids hold no '-'.
  const name = ended.name ?? ended.executionArn.split(':').pop() ?? '';
  complaintId = typeof complaintId === 'string' && complaintId ? complaintId : name.split('-')[0];
  if (!complaintId) return { due: false };
  const due = await makeDueNow(complaintId, ended.executionArn, name === complaintId, currentTime());
  if (due) log.warn('execution ended with its case open: due for the sweep', { complaintId, status: ended.status });
  return { due };
}
