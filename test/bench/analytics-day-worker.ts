import { parentPort, workerData } from 'node:worker_threads';
import { contributionsOf } from '../../functions/domain/analytics';
import { addContribution, emptyIncrements } from '../../functions/domain/analytics-figures';
import { largeDesk, workload } from '../support/analytics-workload';

/**
 * One share of the scale bench's simulated day (test/bench/scale/analytics.ts), in a worker so
 * that the day uses both cores: `count` synthetic complaints received over the day, every event
 * of their histories counted as the stream aggregator counts it. Answers the increments.
 */
const { seed, count, from, teams, handlers, subjects } = workerData as {
  seed: number;
  count: number;
  from: string;
  teams: number;
  handlers: number;
  subjects: number;
};
const desk = largeDesk(teams, handlers);
const day = workload(seed, { desk, from: new Date(from), days: 1, subjects });
const inc = emptyIncrements();
let events = 0;
for (let i = 0; i < count; i++) {
  const c = day.next();
  for (let j = 0; j < c.events.length; j++)
    for (const x of contributionsOf(c.events[j]!, c.events.slice(0, j), c.facts, desk.timeZone))
      addContribution(inc, x);
  if (c.facts.subjectKey && c.facts.subjectLabel) inc.labels[c.facts.subjectKey] = c.facts.subjectLabel;
  events += c.events.length;
}
parentPort!.postMessage({ inc, events });
