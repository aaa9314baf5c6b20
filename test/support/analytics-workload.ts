import type { CaseFacts } from '../../functions/domain/analytics';
import { DEFAULT_DESK_CONFIG, parseDeskConfig, type DeskConfig } from '../../functions/domain/config';
import type { ComplaintEvent } from '../../functions/domain/history';

/**
 * Synthetic cases in the shape the workflow writes their histories (the events and details the
 * figures read), on random paths: accepted, investigated, replied and rated; the survey left
 * unanswered; rejected; withdrawn; escalated and decided by the supervisor; breached; a review
 * asked for and upheld or overturned. Seeded, so a test or the bench gives the same cases each run.
 * Subjects follow a Zipf law (a few matters draw many complaints, most draw one or two).
 */
export type Path = 'full' | 'unanswered' | 'reject' | 'withdraw' | 'escalate' | 'breach' | 'review';
const PATHS: [Path, number][] = [
  ['full', 58],
  ['unanswered', 6],
  ['reject', 12],
  ['withdraw', 8],
  ['escalate', 8],
  ['breach', 3],
  ['review', 5],
];

export function mulberry32(seed: number): () => number {
  let s = seed;
  return () => {
    s |= 0;
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticCase {
  id: string;
  events: ComplaintEvent[];
  facts: CaseFacts & { subjectLabel?: string };
  path: Path;
}

/** A desk of `teams` teams of `handlers` handlers each (plus a supervisor each, one manager), two categories a team. */
export function largeDesk(teams: number, handlers: number): DeskConfig {
  const teamConfig: Record<string, unknown> = {};
  const categories: unknown[] = [];
  for (let t = 0; t < teams; t++) {
    const name = `team${String(t).padStart(2, '0')}`;
    teamConfig[name] = {
      handlers: Array.from({ length: handlers }, (_, h) => `h${h}.${name}@example.org`),
      supervisor: `supervisor.${name}@example.org`,
      manager: 'desk.manager@example.org',
    };
    for (const c of [0, 1])
      categories.push({
        id: `${name}-c${c}`,
        name: { 'zh-CN': `类别 ${t}-${c}`, en: `Category ${t}-${c}` },
        team: name,
      });
  }
  // The acknowledgement cap left out: it follows the staff.
  const { newAddressAcknowledgementsPerHour: _cap, ...intake } = DEFAULT_DESK_CONFIG.intake;
  return parseDeskConfig({
    ...DEFAULT_DESK_CONFIG,
    teams: teamConfig,
    categories,
    intake,
    inbound: { ...DEFAULT_DESK_CONFIG.inbound, defaultCategory: 'team00-c0' },
  });
}

export interface WorkloadOptions {
  desk: DeskConfig;
  /** Cases are received uniformly from `from` over `days` days. */
  from: Date;
  days: number;
  /** How many distinct matters complaints are about (Zipf with exponent 1.1). */
  subjects?: number;
}

function zipf(random: () => number, n: number, s = 1.1): () => number {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w / total));
  return () => {
    const r = random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 1) < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** A generator of synthetic cases: `next()` gives the next one. */
export function workload(seed: number, options: WorkloadOptions) {
  const random = mulberry32(seed);
  const subject = zipf(random, options.subjects ?? 5000);
  const { desk } = options;
  const categories = desk.categories;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const path = (): Path => {
    let r = random() * PATHS.reduce((s, [, w]) => s + w, 0);
    for (const [p, w] of PATHS) if ((r -= w) < 0) return p;
    return 'full';
  };
  let n = 0;
  return {
    next(): SyntheticCase {
      const i = n++;
      const category = pick(categories);
      const team = desk.teams[category.team]!;
      const handler = pick(team.handlers).toLowerCase();
      const supervisor = team.supervisor.toLowerCase();
      const manager = team.manager.toLowerCase();
      const received = options.from.getTime() + random() * options.days * 86_400_000;
      const events: ComplaintEvent[] = [];
      let t = received;
      const at = () => new Date(Math.round(t)).toISOString();
      const later = (hours: number) => (t += Math.max(1000, random() * hours * 3_600_000));
      const add = (action: ComplaintEvent['action'], details: Record<string, unknown> = {}, actor = 'system') =>
        events.push({ at: at(), actor, action, details });
      const s = subject();
      const p = path();
      add(
        'complaint.received',
        {
          channel: pick(['web', 'web', 'api', 'email', 'hotline']),
          category: category.id,
          priority: 1 + Math.floor(random() * 4),
        },
        'complainant',
      );
      later(0.01);
      add('acknowledgement.sent');
      add('task.assigned', { step: 'acceptance', level: 0, assignee: handler });
      let acceptor = handler;
      if (p === 'withdraw') {
        later(10);
        add('complaint.withdrawn', { step: 'acceptance' }, 'complainant');
        add('complaint.closed', { outcome: 'withdrawn' });
        return done();
      }
      if (p === 'escalate' || p === 'breach') {
        later(24);
        add('task.escalated', { step: 'acceptance', fromLevel: 0, toLevel: 1, breached: false });
        add('task.assigned', { step: 'acceptance', level: 1, assignee: supervisor });
        acceptor = supervisor;
        if (p === 'breach') {
          later(4);
          add('task.escalated', { step: 'acceptance', fromLevel: 1, toLevel: 2, breached: true });
          add('task.assigned', { step: 'acceptance', level: 2, assignee: manager });
          acceptor = manager;
        }
      }
      later(p === 'escalate' || p === 'breach' ? 3 : 20);
      if (p === 'reject') {
        add(
          'decision.recorded',
          {
            step: 'acceptance',
            decision: 'reject',
            reason: pick(['out-of-scope', 'insufficient-evidence']),
            decidedBy: acceptor,
          },
          'handler',
        );
        add('complaint.closed', { outcome: 'rejected' });
        return done();
      }
      add('decision.recorded', { step: 'acceptance', decision: 'accept', decidedBy: acceptor }, 'handler');
      add('task.assigned', { step: 'investigation', level: 0, assignee: handler });
      later(40);
      add('findings.recorded', { step: 'investigation', decision: 'record-findings', decidedBy: handler }, 'handler');
      add('task.assigned', { step: 'reply', level: 0, assignee: handler });
      later(60);
      add('reply.sent', { step: 'reply', decision: 'send-reply', decidedBy: handler }, 'handler');
      add('task.assigned', { step: 'survey', level: 0, assignee: 'complainant' });
      later(72);
      if (p === 'unanswered') {
        add('survey.expired', { step: 'survey' });
        add('complaint.closed', { outcome: 'resolved' });
      } else if (p === 'review') {
        add('review.requested', { step: 'survey' }, 'complainant');
        add('task.assigned', { step: 'review', level: 0, assignee: supervisor });
        later(48);
        add(
          'review.ruled',
          { step: 'review', ruling: random() < 0.5 ? 'overturn' : 'uphold', decidedBy: supervisor },
          'supervisor',
        );
        add('complaint.closed', { outcome: 'resolved' });
      } else {
        add(
          'survey.answered',
          { step: 'survey', decision: 'rate', rating: 1 + Math.floor(random() * 5) },
          'complainant',
        );
        add('complaint.closed', { outcome: 'resolved' });
      }
      return done();

      function done(): SyntheticCase {
        return {
          id: `SYN${String(i).padStart(9, '0')}`,
          events,
          path: p,
          facts: {
            team: category.team,
            category: category.id,
            receivedAt: new Date(received).toISOString(),
            subjectKey: `subject-${String(s).padStart(6, '0')}`,
            subjectLabel: `uid-${s}`,
          },
        };
      }
    },
  };
}
