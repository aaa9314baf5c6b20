/**
 * Open Step Functions executions per 1,000 complaints a day, from the desk's own service levels:
 * an execution runs while staff work (the workload's ~4 days open) and through the satisfaction
 * survey, which waits in the workflow; the review window waits in the table (a review request
 * starts the review's own execution), so it adds nothing. Arithmetic on the default config, stated
 * as such; the quota it meets (1,000,000 open executions per account and region, raisable) is in
 * docs/scale.md.
 */
import { DEFAULT_DESK_CONFIG } from '../../../functions/domain/config';

/** The workload's average time a case stays open before its reply (issue: ~4 days). */
const HANDLING_DAYS = 4;

export default async function benchExecutions(): Promise<string[]> {
  const levels = DEFAULT_DESK_CONFIG.serviceLevels;
  const surveyDays = levels.surveySeconds / 86400;
  const reviewWindowDays = levels.reviewWindowSeconds / 86400;
  const openPerThousand = Math.round((HANDLING_DAYS + surveyDays) * 1000);
  const atMillion = openPerThousand * 1000;
  return [
    `executions: ${openPerThousand.toLocaleString('en')} open per 1,000 complaints a day (${HANDLING_DAYS} days handling + a ${surveyDays}-day survey; the ${reviewWindowDays}-day review window waits outside: ${Math.round(reviewWindowDays * 1000).toLocaleString('en')} fewer) — ${atMillion.toLocaleString('en')} at 1,000,000 a day against the default quota of 1,000,000 (arithmetic on the default config)`,
  ];
}
