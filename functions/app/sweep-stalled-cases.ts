import {
  settledByRecord,
  stalledVerdict,
  SWEEP_QUIET_MS,
  type ExecutionState,
  type StalledVerdict,
} from '../domain/stalled';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { METRICS, recordMetric } from '../lib/metrics';
import { executionArnFor, executionState, resumeComplaintWorkflow } from '../lib/workflow';
import { ComplaintClosedError, updateComplaint } from '../store/complaints';
import { everyOpenComplaint, openTaskHolders, sweptComplaints, type SweptComplaint } from '../store/open-cases';
import { getTaskLink, type TaskLinkRecord } from '../store/task-links';
import { beginStep } from './begin-step';
import { passOnDecision } from './pass-on-decision';

/** How many cases one run judges at most; the rest wait for the next run (every few minutes). */
export const SWEEP_CASES_PER_RUN = 2_000;
/**
 * How fast one run asks Step Functions about executions: well below DescribeExecution's refill
 * (15 a second), so the handlers' own calls keep the quota.
 */
export const DESCRIBES_PER_SECOND = 5;
/** How long one run keeps judging: well inside the function's timeout. */
export const SWEEP_BUDGET_MS = 60_000;
// A case reopened for review whose execution died before its review step began records no step yet.
const REVIEW_START = 'BeginReview';

export interface SweepInput {
  /** A case touched more recently than this is left alone (default 5 minutes). */
  quietMs?: number;
  /** Judge every open complaint record (a whole-table scan), not only those holding a task: the local stack's start. */
  everyCase?: boolean;
  describesPerSecond?: number;
  budgetMs?: number;
}

export interface JudgedCase {
  complaint: SweptComplaint;
  /** Its current task link, when the execution had to be asked. */
  taskLink?: TaskLinkRecord;
  execution?: ExecutionState;
  verdict: StalledVerdict;
}

/**
 * The stalled query: the open cases (from the byAssignee index, or every record) judged by the
 * stalled rule (domain/stalled.ts). The record settles most (closed, pending start, recently
 * touched) without asking Step Functions; the rest have their execution described, at a bounded
 * rate and for a bounded time. The tests run this same query after their fault tests.
 */
export async function judgeOpenCases(input: SweepInput = {}, only?: readonly string[]): Promise<JudgedCase[]> {
  const quietMs = input.quietMs ?? SWEEP_QUIET_MS;
  const perSecond = input.describesPerSecond ?? DESCRIBES_PER_SECOND;
  const budgetMs = input.budgetMs ?? SWEEP_BUDGET_MS;
  const ids =
    only ??
    (input.everyCase ? await everyOpenComplaint(SWEEP_CASES_PER_RUN) : await openTaskHolders(SWEEP_CASES_PER_RUN));
  const complaints = await sweptComplaints(ids);
  const began = Date.now();
  let describes = 0;
  const judged: JudgedCase[] = [];
  for (const complaint of complaints) {
    const now = currentTime();
    const settled = settledByRecord({ complaint, now, quietMs });
    if (settled) {
      judged.push({ complaint, verdict: settled });
      continue;
    }
    if (Date.now() - began > budgetMs) break;
    const wait = began + (describes * 1000) / perSecond - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    describes++;
    const link = complaint.currentTaskLinkHash ? await getTaskLink(complaint.currentTaskLinkHash) : undefined;
    const execution = await executionState(complaint.executionArn ?? executionArnFor(complaint.id));
    judged.push({
      complaint,
      taskLink: link,
      execution,
      verdict: stalledVerdict({ complaint, taskLink: link, execution, now, quietMs }),
    });
  }
  return judged;
}

/**
 * Starts a stalled case again at the step it records (`workflowResumeAt`): its BeginStep keeps
 * the recorded deadline and level, and its OpenTask sends a fresh link and retires the old one.
 * The new execution's name comes from the record's last update: two sweeps that judged the same
 * record start one execution.
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
  const at = currentTime().toISOString();
  await updateComplaint(
    complaint.id,
    {},
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

/**
 * No case stops silently: finds every open case with neither a running execution nor a live
 * task (nor a pending start, which is the start reconciler's) and starts it again at its step,
 * with an event on the case and a metric the desk alarms on. Scheduled every few minutes; the
 * local stack also runs it at its start, when its engine has lost every execution.
 */
export async function sweepStalledCases(
  input: SweepInput = {},
): Promise<{ judged: number; redriven: number; failed: number }> {
  const judged = await judgeOpenCases(input);
  let redriven = 0;
  let failed = 0;
  for (const one of judged) {
    if (!one.verdict.stalled) continue;
    try {
      if (one.verdict.reason === 'decision-unheard') await passOnUnheardDecision(one);
      else await redrive(one as JudgedCase & { verdict: { stalled: true } });
      redriven++;
    } catch (error) {
      // Closed meanwhile: nothing to move.
      if (error instanceof ComplaintClosedError) continue;
      failed++;
      log.error('could not re-drive a stalled case', { complaintId: one.complaint.id, error });
    }
  }
  if (redriven || failed) log.info('stalled cases swept', { judged: judged.length, redriven, failed });
  return { judged: judged.length, redriven, failed };
}
