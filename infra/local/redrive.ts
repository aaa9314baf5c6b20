import { sweepStalledCases } from '../../functions/app/sweep-stalled-cases';

/**
 * The local Step Functions engine keeps executions in memory, so a restart loses them all: every
 * open complaint is then stalled. This is the stalled-case sweep (app/sweep-stalled-cases.ts)
 * run once at start, over every open record (the laptop's table is small enough to scan) and
 * without the quiet period, since no execution can be under way yet: each open complaint starts
 * again at the step it records, its BeginStep keeps the recorded deadline and level, and its
 * OpenTask sends a fresh link and retires the old one. Complaints still waiting for their first
 * start are left to the start-pending reconciler.
 */
export async function redriveOpenComplaints(): Promise<number> {
  const { redriven } = await sweepStalledCases({
    everyCase: true,
    quietMs: 0,
    describesPerSecond: Infinity,
    budgetMs: Infinity,
  });
  return redriven;
}
