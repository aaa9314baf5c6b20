/**
 * The analytics page with 10,000 cases in the table, beside one plain GetItem through the same
 * adapter (the document client every store module uses, against the same DynamoDB Local).
 *
 * Seeding: 10,000 complaint records are written to the table directly (BatchWrite), spread over
 * the last 60 days, and their histories' figures are computed by the domain's aggregation and
 * stored as the rebuild stores them. Filing 10,000 cases over HTTP and letting the stream count
 * each event would take far longer than the page's cost is worth measuring: the page reads the
 * team days of its range and the one before (one query a day), two running totals per team and
 * person, the hotspot candidates' counts, and the open tasks per staff address (index counts),
 * never the cases.
 */
import { rmSync } from 'node:fs';
import { startStackProcess, stopStackProcess } from '../support/local-stack-setup';

const CASES = Number(process.env.BENCH_ANALYTICS_CASES ?? 10_000);
const RUNS = Number(process.env.BENCH_ANALYTICS_RUNS ?? 20);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length / 2) - 1]!;

async function signInAs(api: string, mailbox: string, email: string): Promise<string> {
  await fetch(`${api}/staff/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }).toString(),
  });
  for (let i = 0; i < 200; i++) {
    const { emails } = (await (await fetch(`${mailbox}/store`)).json()) as {
      emails: { destination: { to: string[] }; subject: string; body: { text: string } }[];
    };
    const mail = emails.filter((e) => e.destination.to.includes(email) && /Sign-in link/.test(e.subject)).at(-1);
    const link = mail && /https?:\/\/\S+\/staff\/sign-in\/\S+/.exec(mail.body.text)?.[0];
    if (link) {
      const page = await (await fetch(link)).text();
      const nonce = /name="nonce" value="([^"]+)"/.exec(page)![1]!;
      const posted = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ nonce }).toString(),
        redirect: 'manual',
      });
      return posted.headers.get('set-cookie')!.split(';')[0]!;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no sign-in link arrived');
}

export async function benchAnalytics(): Promise<void> {
  const stack = await startStackProcess({ REDRESS_CLOCK_SCALE: '1' });
  try {
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: stack.urls.dynamodb,
      TABLE_NAME: 'Complaints',
      EVIDENCE_BUCKET: 'redress-evidence',
      STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplaintHandling',
      PUBLIC_BASE_URL: stack.urls.api,
      MAIL_FROM: 'complaints@redress.test',
      REDRESS_LOG_LEVEL: 'silent',
    });
    const { DEFAULT_DESK_CONFIG } = await import('../../functions/domain/config');
    const { incrementsOfCases, addDays, dayOf } = await import('../../functions/domain/analytics');
    const { foldIncrements, MemoryFigureStore } = await import('../../functions/domain/analytics-figures');
    const { replaceFigures, teamDayKey } = await import('../../functions/store/analytics');
    const { dynamo } = await import('../../functions/lib/clients/dynamo');
    const { BatchWriteCommand, GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const desk = DEFAULT_DESK_CONFIG;
    const now = new Date();
    const today = dayOf(now.toISOString(), desk.timeZone);

    // ---- Seed: records and their histories' figures.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const cases = [];
    const records: Record<string, unknown>[] = [];
    const seedStarted = performance.now();
    for (let i = 0; i < CASES; i++) {
      const category = desk.categories[Math.floor(random() * desk.categories.length)]!;
      const team = category.team;
      const handler = desk.teams[team]!.handlers[0]!;
      const receivedAt =
        new Date(`${addDays(today, -Math.floor(random() * 60))}T02:00:00Z`).getTime() +
        Math.floor(random() * 8 * 3600_000);
      const at = (hours: number) => new Date(receivedAt + hours * 3600_000).toISOString();
      const id = `BENCH${String(i).padStart(8, '0')}`;
      const subjectKey = `bench-subject-${Math.floor(random() * 800)}`;
      const events = [
        {
          at: at(0),
          actor: 'complainant',
          action: 'complaint.received' as const,
          details: { channel: random() < 0.5 ? 'web' : 'api', category: category.id, priority: 4 },
        },
        {
          at: at(0.01),
          actor: 'system',
          action: 'task.assigned' as const,
          details: { step: 'acceptance', level: 0, assignee: handler },
        },
        {
          at: at(random() * 30),
          actor: 'handler',
          action: 'decision.recorded' as const,
          details: {
            step: 'acceptance',
            decision: random() < 0.8 ? 'accept' : 'reject',
            reason: 'out-of-scope',
            decidedBy: handler,
          },
        },
        {
          at: at(31),
          actor: 'system',
          action: 'task.assigned' as const,
          details: { step: 'investigation', level: 0, assignee: handler },
        },
        {
          at: at(31 + random() * 40),
          actor: 'handler',
          action: 'findings.recorded' as const,
          details: { step: 'investigation', decision: 'record-findings', decidedBy: handler },
        },
        {
          at: at(72),
          actor: 'system',
          action: 'task.assigned' as const,
          details: { step: 'reply', level: 0, assignee: handler },
        },
        {
          at: at(72 + random() * 60),
          actor: 'handler',
          action: 'reply.sent' as const,
          details: { step: 'reply', decision: 'send-reply', decidedBy: handler },
        },
        { at: at(133), actor: 'system', action: 'task.assigned' as const, details: { step: 'survey', level: 0 } },
        {
          at: at(134),
          actor: 'complainant',
          action: 'survey.answered' as const,
          details: { step: 'survey', decision: 'rate', rating: 1 + Math.floor(random() * 5) },
        },
        { at: at(134), actor: 'system', action: 'complaint.closed' as const, details: { outcome: 'resolved' } },
      ].filter((e) => e.at <= now.toISOString());
      cases.push({
        events,
        facts: { team, category: category.id, receivedAt: at(0), subjectKey, subjectLabel: `uid-${subjectKey}` },
      });
      records.push({
        pk: `COMPLAINT#${id}`,
        sk: 'META',
        id,
        number: `BN-${String(i).padStart(8, '0')}`,
        status: 'closed',
        category: category.id,
        channel: 'web',
        receivedAt: at(0),
        subjectKey,
        subject: { type: 'user', ref: `uid-${subjectKey}` },
      });
    }
    for (let i = 0; i < records.length; i += 25) {
      let pending: unknown[] | undefined = records.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (pending?.length)
        pending = (await dynamo.send(new BatchWriteCommand({ RequestItems: { Complaints: pending as never } })))
          .UnprocessedItems?.Complaints;
    }
    const figures = new MemoryFigureStore();
    await foldIncrements(figures, incrementsOfCases(cases, desk.timeZone), 1);
    const items = await replaceFigures(figures, 1, now.toISOString());
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    // ---- Measure: the page (HTML and JSON) as a manager opens it, and one GetItem.
    const cookie = await signInAs(stack.urls.api, stack.urls.mailbox, desk.teams.trust!.manager);
    const time = async (url: string, accept: string) => {
      const t = performance.now();
      const response = await fetch(url, { headers: { cookie, accept } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 200)}`);
      return { ms: performance.now() - t, bytes: Buffer.byteLength(body) };
    };
    const page = `${stack.urls.api}/staff/analytics?lang=zh-CN`;
    await time(page, 'text/html');
    const pages = [];
    const jsons = [];
    const gets = [];
    for (let i = 0; i < RUNS; i++) {
      pages.push(await time(page, 'text/html'));
      jsons.push(await time(page, 'application/json'));
      const t = performance.now();
      await dynamo.send(new GetCommand({ TableName: 'Complaints', Key: teamDayKey(today, 'trust') }));
      gets.push(performance.now() - t);
    }
    console.log(
      `analytics page, ${CASES} cases in the table (${items} figure items, seeded directly in ${seedSeconds.toFixed(1)} s): HTML median ${median(pages.map((p) => p.ms)).toFixed(0)} ms (${(pages[0]!.bytes / 1024).toFixed(1)} KB), JSON median ${median(jsons.map((p) => p.ms)).toFixed(0)} ms (${(jsons[0]!.bytes / 1024).toFixed(1)} KB); one GetItem through the same adapter median ${median(gets).toFixed(1)} ms (${RUNS} runs each)`,
    );
  } finally {
    await stopStackProcess(stack.child);
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAnalytics();
