import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Email } from '../support/stack-client';
import {
  complaintBody,
  expectStatus,
  fileComplaint,
  linkIn,
  moveClock,
  nonceOf,
  postFields,
  stack,
  SUBJECTS,
  useStackSettingsInProcess,
} from '../support/stack-client';
import { ownStack } from '../support/own-stack';
import { signIn, staffJson, staffPost } from '../support/staff-client';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';

/**
 * 200 cases through random paths (seeded), driven at once over HTTP and email on a stack of this
 * file's own (its clock moves for the escalations): accepted and answered and rated, rejected,
 * withdrawn, asked for information, linked as duplicates, reviewed (upheld or overturned, then
 * the ruled matter filed again), escalated and breached. Then every figure of
 * GET /staff/analytics must equal a recount from the events in the table, and replaying the
 * whole stream (and a rebuild) must change nothing.
 */
ownStack();

const CASES = Number(process.env.ANALYTICS_CASES ?? 200);
const SEED = Number(process.env.ANALYTICS_SEED ?? 20261202);
const FIXTURES = [1, 2, 3, 6, 7, 10]; // categories that need no evidence upload
const HOUR = 3600;

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** At most this many requests at once, so 200 drivers do not drown the stack. */
function limiter(max: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
const http = limiter(24);

/** One reader of the mailbox for every case (new mail only), instead of 200 pollers. */
class Mailbox {
  private readonly byNumber = new Map<string, Email[]>();
  private readonly used = new Set<string>();
  private readonly seen = new Set<string>();
  private since = 0;
  private waiters: (() => void)[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly url: string) {
    this.loop = this.run();
  }

  private async run() {
    while (this.running) {
      const emails = await fetch(`${this.url}/store${this.since ? `?since=${this.since}` : ''}`)
        .then((r) => r.json() as Promise<{ emails: Email[] }>)
        .then(
          (store) => store.emails,
          () => [] as Email[],
        );
      for (const email of emails) {
        if (this.seen.has(email.messageId)) continue;
        this.seen.add(email.messageId);
        this.since = Math.max(this.since, email.at - 2);
        const number = /\[([A-Z]{2}-\d{8}-[0-9A-Z]{6})\]/.exec(email.subject)?.[1];
        if (number) (this.byNumber.get(number) ?? this.byNumber.set(number, []).get(number)!).push(email);
      }
      for (const wake of this.waiters.splice(0)) wake();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The next unused email about a case whose subject matches (and recipient, if given). */
  async next(number: string, subject: RegExp, to?: string, timeoutMs = 120_000): Promise<Email> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = (this.byNumber.get(number) ?? []).find(
        (e) => !this.used.has(e.messageId) && subject.test(e.subject) && (!to || e.destination.to.includes(to)),
      );
      if (found) {
        this.used.add(found.messageId);
        return found;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    throw new Error(
      `no email for ${number} matching ${subject}; got: ${(this.byNumber.get(number) ?? []).map((e) => e.subject).join(' | ')}`,
    );
  }

  /** The newest email about a case whose subject matches, used or not. */
  latest(number: string, subject: RegExp): Email | undefined {
    return (this.byNumber.get(number) ?? []).filter((e) => subject.test(e.subject)).at(-1);
  }

  /** Waits until such an email is there, leaving it for `next`. */
  async arrived(number: string, subject: RegExp, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.byNumber.get(number) ?? []).some((e) => !this.used.has(e.messageId) && subject.test(e.subject))) {
      if (Date.now() > deadline) throw new Error(`no email for ${number} matching ${subject}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async stop() {
    this.running = false;
    await this.loop;
  }
}

type Path =
  | 'full'
  | 'unanswered'
  | 'reject'
  | 'withdraw'
  | 'information'
  | 'duplicate'
  | 'review'
  | 'escalate'
  | 'breach';
const PATHS: [Path, number][] = [
  ['full', 30],
  ['unanswered', 5],
  ['reject', 14],
  ['withdraw', 10],
  ['information', 8],
  ['duplicate', 6],
  ['review', 9],
  ['escalate', 12],
  ['breach', 6],
];

function pick(random: () => number): Path {
  let r = random() * PATHS.reduce((s, [, w]) => s + w, 0);
  for (const [path, weight] of PATHS) if ((r -= weight) < 0) return path;
  return 'full';
}

/** Opens a task link and posts its form with these fields and the page's nonce; answers the status when `allow` has it. */
async function act(url: string, fields: Record<string, string>, allow: number[] = []): Promise<number> {
  const page = await http(() => fetch(url).then((r) => r.text()));
  // A link the task moved on from shows why, with no form: as its post would answer.
  if (allow.includes(409) && !/name="nonce"/.test(page)) return 409;
  const posted = await http(() => postFields(url, { nonce: nonceOf(page), ...fields }));
  if (posted.response.status !== 200 && !allow.includes(posted.response.status))
    throw new Error(
      `posting ${url} answered ${posted.response.status}: ${posted.text
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .slice(0, 300)}`,
    );
  return posted.response.status;
}

async function selfService(trackingUrl: string, action: 'withdrawal' | 'review-request', body: Record<string, string>) {
  const url = new URL(trackingUrl);
  return http(() =>
    fetch(`${url.origin}${url.pathname}/${action}${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, json: await r.json() })),
  );
}

interface Filed {
  number: string;
  trackingUrl: string;
  body: Record<string, any>;
  path: Path;
}

/**
 * Decides a staff task from its email. A task that moved one person up meanwhile (the clock
 * moved past its deadline) answers 409 on the old link: decide from the newest email instead.
 */
async function decideStaffTask(mail: Mailbox, number: string, subject: RegExp, fields: Record<string, string>) {
  let link = linkIn(await mail.next(number, subject), '/tasks/');
  for (let attempt = 0; (await act(link, fields, [409])) === 409; attempt++) {
    if (attempt > 5) throw new Error(`${number}: every ${subject} link was moved on from`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    link = linkIn(mail.latest(number, subject)!, '/tasks/');
  }
}

/** Investigation, reply, then the survey: rated, or asked for a review, or left unanswered. */
async function afterAcceptance(mail: Mailbox, c: Filed, random: () => number) {
  await decideStaffTask(mail, c.number, SUBJECTS.investigation, {
    decision: 'record-findings',
    findings: '经核实，情况属实。',
    actions: 'other',
  });
  await decideStaffTask(mail, c.number, SUBJECTS.reply, { reply: '已处理。', grounds: '社区规则第3条' });
  const survey = linkIn(await mail.next(c.number, SUBJECTS.outcome, c.body.complainant.email), '/tasks/');
  if (c.path === 'unanswered') return;
  if (c.path === 'review') {
    await act(survey, { decision: 'request-review', reason: '结果不合理，请复核。' });
    const review = linkIn(await mail.next(c.number, SUBJECTS.review), '/tasks/');
    await act(
      review,
      random() < 0.5
        ? { decision: 'uphold', reason: '原处理依据充分。' }
        : { decision: 'overturn', reason: '原结论依据不足。', reply: '撤销原结果，恢复账号。' },
    );
    await mail.next(c.number, /复核结论|Review ruling/, c.body.complainant.email);
    // The ruling is final: the same matter again is not filed (held for the complainant to
    // confirm by mail, or refused with a ban).
    const again = await http(() => fileComplaint(c.body, {}, stack().api));
    expect([202, 403]).toContain(again.response.status);
    return;
  }
  await act(survey, { rating: String(1 + Math.floor(random() * 5)), comment: '谢谢' });
}

describe('the desk figures over 200 random cases', () => {
  // Its time-out is a guard only: 200 cases through HTTP and mail take minutes on a shared 2-core machine running the other files too.
  it('equal a recount from the events, and replaying the stream changes nothing', async () => {
    const started = Date.now();
    const mail = new Mailbox(stack().mailbox);
    // However the test ends, the mailbox reader stops with it (no request outlives the stack).
    onTestFinished(() => mail.stop());
    const random = mulberry32(SEED);
    const plans = Array.from({ length: CASES }, (_, i) => ({
      fixture: FIXTURES[Math.floor(random() * FIXTURES.length)]!,
      path: pick(random),
      seed: Math.floor(random() * 2 ** 31),
      i,
    }));
    const waiting: Filed[] = [];
    let unlinked = 0;

    // Phase 1: every case is filed and driven; the escalating ones are left at acceptance.
    const drive = async (plan: (typeof plans)[number]): Promise<Filed> => {
      const rnd = mulberry32(plan.seed);
      const body = complaintBody(plan.fixture);
      const filed = await http(() => fileComplaint(body, {}, stack().api));
      expect(filed.response.status).toBe(201);
      const c: Filed = { number: filed.json.number, trackingUrl: filed.json.trackingUrl, body, path: plan.path };
      const acceptance = linkIn(await mail.next(c.number, SUBJECTS.acceptance), '/tasks/');
      switch (c.path) {
        case 'escalate':
        case 'breach':
          waiting.push(c);
          return c;
        case 'withdraw': {
          const answer = await selfService(c.trackingUrl, 'withdrawal', { reason: '问题已自行解决' });
          expect(answer.status).toBe(200);
          await mail.next(c.number, /投诉已关闭|Complaint closed/, body.complainant.email);
          return c;
        }
        case 'reject':
          await act(acceptance, { decision: 'reject', reason: rnd() < 0.5 ? 'out-of-scope' : 'insufficient-evidence' });
          await mail.next(c.number, /未予受理|not accepted/, body.complainant.email);
          return c;
        case 'information': {
          await act(acceptance, { decision: 'request-info', question: '请补充截图。' });
          await act(linkIn(await mail.next(c.number, SUBJECTS.information, body.complainant.email), '/tasks/'), {
            answer: '截图已上传。',
          });
          await act(linkIn(await mail.next(c.number, SUBJECTS.acceptance), '/tasks/'), { decision: 'accept' });
          break;
        }
        case 'duplicate': {
          // The same matter by the same complainant while the case is open joins it.
          const again = await http(() => fileComplaint(body, {}, stack().api));
          expect(again.response.status).toBeLessThan(300);
          // Joined, it is answered like a filing but names no case (a new case would have its number).
          if (again.json.number) unlinked++;
          await act(acceptance, { decision: 'accept' });
          break;
        }
        default:
          await act(acceptance, { decision: 'accept' });
      }
      await afterAcceptance(mail, c, rnd);
      return c;
    };
    const phase1 = await Promise.all(plans.map(drive));
    const phase1Seconds = (Date.now() - started) / 1000;

    // Phase 2: the acceptance deadline passes (the clock moves): the waiting cases go to the
    // supervisor; the escalating ones are decided there, the breaching ones go on up.
    await moveClock(25 * HOUR);
    const escalation = new Map(
      await Promise.all(waiting.map(async (c) => [c.number, await mail.next(c.number, /Escalated/)] as const)),
    );
    const decideEscalated = async (c: Filed, email: Email) => {
      const rnd = mulberry32(Number.parseInt(c.number.slice(-6), 36) % 2 ** 31);
      const fields: Record<string, string> =
        rnd() < 0.3 ? { decision: 'reject', reason: 'out-of-scope' } : { decision: 'accept' };
      // A link the task has moved on from (it went one person up meanwhile) answers 409: decide
      // from the newest task email instead.
      let link = linkIn(email, '/tasks/');
      for (let attempt = 0; (await act(link, fields, [409])) === 409; attempt++) {
        if (attempt > 5) throw new Error(`${c.number}: every acceptance link was moved on from`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        link = linkIn(mail.latest(c.number, /To do: Acceptance review/)!, '/tasks/');
      }
      if (fields.decision === 'reject') return;
      await afterAcceptance(mail, { ...c, path: 'full' }, rnd);
    };
    const escalated = waiting.filter((c) => c.path === 'escalate');
    const breaching = waiting.filter((c) => c.path === 'breach');
    // Each escalated task is decided from the email that gave it to its new holder, and the
    // decision is recorded (the case moved on) before the clock moves again.
    const decidedEscalations = escalated.map((c) => decideEscalated(c, escalation.get(c.number)!));
    await Promise.all(escalated.map((c) => mail.arrived(c.number, /To do: Investigation|未予受理|not accepted/)));
    await moveClock(5 * HOUR);
    await Promise.all(breaching.map((c) => mail.next(c.number, /Escalated/)));
    await moveClock(5 * HOUR);
    const breached = await Promise.all(breaching.map((c) => mail.next(c.number, /BREACHED/)));
    await Promise.all([...decidedEscalations, ...breaching.map((c, i) => decideEscalated(c, breached[i]!))]);
    await mail.stop();
    const drivenSeconds = (Date.now() - started) / 1000;
    console.log(
      `analytics: ${CASES} cases driven in ${drivenSeconds.toFixed(1)} s (phase 1 ${phase1Seconds.toFixed(1)} s)`,
    );

    // ---- The recount: every case's events, read from the table, through the same arithmetic
    // (domain/analytics.ts) but none of the stream, markers or day items.
    useStackSettingsInProcess();
    const { aggregateCases, summarise } = await import('../../functions/domain/analytics');
    const { caseHistory, everyComplaint, factsOf } = await import('../../functions/store/analytics');
    const { teamOfCategory } = await import('../../functions/domain/staff');
    const desk = DEFAULT_DESK_CONFIG;
    const recount = async () => {
      const cases = [];
      const labels: Record<string, string> = {};
      for await (const record of everyComplaint()) {
        const history = await caseHistory(record.id);
        const facts = factsOf(record, (c) => teamOfCategory(desk, c) ?? 'unassigned', history);
        if (facts.subjectKey && facts.subjectLabel) labels[facts.subjectKey] = facts.subjectLabel;
        cases.push({ events: history.map((h) => h.event), facts });
      }
      return { cases, labels };
    };

    const manager = await signIn(DEFAULT_DESK_CONFIG.teams.trust!.manager);
    const figures = async () =>
      expectStatus(await staffJson('/staff/analytics', manager.cookie), 200, 'analytics').json;
    const expected = (view: any, cases: Awaited<ReturnType<typeof recount>>) => {
      const days = [...aggregateCases(cases.cases, desk.timeZone).values()];
      const range = { from: view.range.from, to: view.range.to, groupBy: view.range.groupBy };
      const openLoad = Object.fromEntries(view.handlers.map((h: any) => [h.email, h.openLoad]));
      return JSON.parse(
        JSON.stringify(
          summarise({
            range,
            days,
            previousDays: [],
            teams: view.range.teams,
            config: desk,
            subjectLabels: cases.labels,
            openLoad,
          }),
        ),
      );
    };
    // Figures follow the events within seconds: wait (a guard only) until the stream has caught
    // up with the events in the table.
    let view = await figures();
    let counted = await recount();
    const caughtUp = Date.now() + 60_000;
    while (JSON.stringify(view) !== JSON.stringify(expected(view, counted)) && Date.now() < caughtUp) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      view = await figures();
      counted = await recount();
    }
    const streamSeconds = (Date.now() - started) / 1000 - drivenSeconds;
    const { cases } = counted;
    expect(cases.length).toBe(CASES + unlinked);
    expect(view).toEqual(expected(view, counted));

    // ---- An independent recount of the headline figures, straight from the events.
    const all = cases.flatMap((c) => c.events.map((e) => ({ e, c })));
    const countOf = (action: string, where: (e: any) => boolean = () => true) =>
      all.filter(({ e }) => e.action === action && where(e)).length;
    const byCategory: Record<string, number> = {};
    for (const c of cases) byCategory[c.facts.category] = (byCategory[c.facts.category] ?? 0) + 1;
    expect(view.received.total).toBe(CASES + unlinked);
    expect(view.received.byCategory).toEqual(byCategory);
    expect(Object.values(view.received.byChannel).reduce((s: number, n: any) => s + n, 0)).toBe(CASES);
    expect(view.outcomes.accepted).toBe(
      countOf('decision.recorded', (e) => e.details?.step === 'acceptance' && e.details?.decision === 'accept'),
    );
    expect(view.outcomes.rejected.total).toBe(
      countOf('decision.recorded', (e) => e.details?.step === 'acceptance' && e.details?.decision === 'reject'),
    );
    expect(view.outcomes.withdrawn).toBe(plans.filter((p) => p.path === 'withdraw').length);
    expect(view.outcomes.duplicatesLinked).toBe(plans.filter((p) => p.path === 'duplicate').length - unlinked);
    expect(view.outcomes.bansIssued).toBe(countOf('complainant.banned'));
    const ratings = all.filter(({ e }) => e.action === 'survey.answered').map(({ e }) => Number(e.details?.rating));
    expect(view.satisfaction.responses).toBe(ratings.length);
    expect(view.satisfaction.mean).toBe(Math.round((ratings.reduce((s, n) => s + n, 0) / ratings.length) * 100) / 100);
    for (const n of [1, 2, 3, 4, 5])
      expect(view.satisfaction.distribution[String(n)]).toBe(ratings.filter((r) => r === n).length);
    expect(view.satisfaction.reviews.overturned).toBe(countOf('review.ruled', (e) => e.details?.ruling === 'overturn'));
    expect(view.serviceLevels.escalations).toBe(countOf('task.escalated'));
    expect(view.serviceLevels.breaches).toBe(
      cases.filter((c) => c.events.some((e) => e.action === 'task.escalated' && e.details?.breached === true)).length,
    );
    expect(view.serviceLevels.breaches).toBeGreaterThanOrEqual(plans.filter((p) => p.path === 'breach').length);
    const accepts = all
      .filter(
        ({ e }) =>
          e.action === 'decision.recorded' && e.details?.step === 'acceptance' && e.details?.decision === 'accept',
      )
      .map(({ e, c }) => Math.round((Date.parse(e.at) - Date.parse(c.facts.receivedAt)) / 1000))
      .sort((a, b) => a - b);
    expect(view.serviceLevels.times.accept.medianSeconds).toBe(accepts[Math.ceil(accepts.length / 2) - 1]);
    expect(view.serviceLevels.times.accept.p90Seconds).toBe(accepts[Math.ceil(accepts.length * 0.9) - 1]);

    // ---- The same stream delivered again, from its first record, to the aggregator: nothing changes.
    const { LocalDynamoDbStream } = await import('../../infra/local/dynamodb-stream-local');
    const { handler } = await import('../../functions/stream/aggregate-analytics');
    const os = await import('node:os');
    const replay = new LocalDynamoDbStream({
      endpoint: stack().dynamodb,
      tableName: 'Complaints',
      region: 'us-east-1',
      positionsFile: path.join(os.tmpdir(), `analytics-replay-${process.pid}-${Date.now()}.json`),
      deliver: (event) => handler(event, {} as never),
    });
    const replayStarted = Date.now();
    await replay.start();
    await replay.drained();
    await replay.stop();
    const replaySeconds = (Date.now() - replayStarted) / 1000;
    const replayed = await figures();
    expect(replayed).toEqual(view);

    // ---- A rebuild from the history gives the same figures.
    const rebuilt = (await handler({ rebuild: true }, {} as never)) as { cases: number };
    expect(rebuilt.cases).toBe(CASES + unlinked);
    expect(await figures()).toEqual(view);

    // The CSV says the same, for a spreadsheet.
    const csv = await fetch(`${stack().api}/staff/analytics.csv?lang=en`, { headers: { cookie: manager.cookie } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain(`received,total,,Total,${CASES + unlinked}`);

    // A supervisor sees their team only; a handler has no analytics.
    const supervisor = await signIn(DEFAULT_DESK_CONFIG.teams.privacy!.supervisor);
    const theirs = expectStatus(
      await staffJson('/staff/analytics', supervisor.cookie),
      200,
      'supervisor analytics',
    ).json;
    expect(theirs.range.teams).toEqual(['privacy']);
    expect(theirs.received.total).toBe(view.received.byTeam.privacy ?? 0);
    const handlerStaff = await signIn(DEFAULT_DESK_CONFIG.teams.privacy!.handlers[0]!);
    expect((await staffJson('/staff/analytics', handlerStaff.cookie)).response.status).toBe(403);
    expect((await staffJson('/staff/analytics?from=2026-13-01', manager.cookie)).json.errors[0].path).toBe('from');
    // Only an operator sends the report now.
    expect(
      (await staffPost('/staff/analytics/weekly-report', manager, { nonce: manager.nonce }, 'application/json'))
        .response.status,
    ).toBe(403);

    console.log(
      `analytics: ${CASES} cases (${Object.entries(Object.groupBy(plans, (p) => p.path))
        .map(([p, l]) => `${p} ${l!.length}`)
        .join(
          ', ',
        )}); driven in ${drivenSeconds.toFixed(1)} s (phase 1 ${phase1Seconds.toFixed(1)} s), figures caught up ${streamSeconds.toFixed(1)} s later, stream replayed in ${replaySeconds.toFixed(1)} s; ${phase1.length} driven, ${unlinked} repeat filing(s) not linked`,
    );
  }, 900_000);
});
