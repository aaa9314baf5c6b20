/**
 * The weekly report at scale: 2,040 recipients (a supervisor and a manager for each of 1,020
 * teams; the first 40 teams of 50 people with late open work), through the product's own use
 * cases (app/weekly-report.ts) against a private DynamoDB Local behind the capacity meter and an
 * SES stand-in that counts every send per recipient. One recipient's sends are refused until the
 * others are out. The schedule's run writes the claims and sends what fits in a Lambda's time
 * (12 s of its 20); the every-minute sender sends the rest; the schedule run again (a retry after
 * a timeout) sends nothing twice; the refused report goes once its retry is due.
 */
import { parseDeskConfig, type DeskConfig } from '../../../functions/domain/config';
import { inOwnProcess, isOwnProcess, metered, privateTable, runOwnProcess, seed } from '../scale-support/private-table';
import { startSesStandIn } from '../scale-support/ses-stand-in';

const TEAMS = 1_020;
const BIG_TEAMS = 40;
const LATE_PER_BIG_TEAM = 10;
/** What a run of 20 s (a Lambda's timeout here) spends sending, as the handlers leave 8 s spare. */
const BUDGET_MS = 12_000;
const pad = (n: number) => String(n).padStart(4, '0');

function benchDesk(): DeskConfig {
  const teams: Record<string, unknown> = {};
  const categories: unknown[] = [];
  for (let t = 0; t < TEAMS; t++) {
    teams[`t${pad(t)}`] = {
      handlers: Array.from({ length: t < BIG_TEAMS ? 48 : 1 }, (_, h) => `t${pad(t)}.h${h}@bench.example`),
      supervisor: `t${pad(t)}.supervisor@bench.example`,
      manager: `t${pad(t)}.manager@bench.example`,
    };
    categories.push({ id: `c${pad(t)}`, name: { 'zh-CN': `类别 ${t}`, en: `Category ${t}` }, team: `t${pad(t)}` });
  }
  categories.push({ id: 'other', name: { 'zh-CN': '其他', en: 'Other' }, team: 't0000' });
  return parseDeskConfig({
    timeZone: 'Asia/Shanghai',
    serviceLevels: {
      acceptanceSeconds: 86400,
      investigationSeconds: 172800,
      replySeconds: 259200,
      surveySeconds: 604800,
      reviewSeconds: 259200,
      escalationGraceSeconds: 14400,
    },
    teams,
    categories,
  });
}

async function main(): Promise<string[]> {
  const desk = benchDesk();
  const ses = await startSesStandIn();
  const table = await privateTable(desk, { AWS_ENDPOINT_URL_SES: ses.url, AWS_ENDPOINT_URL_SESV2: ses.url });
  try {
    const { newComplaintId, newComplaintNumber } = await import('../../../functions/domain/ids');
    const { putComplaint, withQueuePosition } = await import('../../../functions/store/complaints');
    const { deliverDueReports, reportRecipients, sendWeeklyReport } = await import(
      '../../../functions/app/weekly-report'
    );
    const { moveClockForward } = await import('../../../functions/lib/clock');

    // Late open work in the big teams, for the reports' late-case lists.
    const items: Record<string, unknown>[] = [];
    for (let t = 0; t < BIG_TEAMS * LATE_PER_BIG_TEAM; t++) {
      const team = t % BIG_TEAMS;
      const received = new Date(Date.now() - 3 * 86400_000 - t * 1000);
      const id = newComplaintId(received);
      items.push({
        ...putComplaint({
          id,
          number: newComplaintNumber(received, desk.timeZone),
          channel: 'web',
          complainant: { name: 'Bench', email: `c${t}@complainant.example` },
          category: `c${pad(team)}`,
          subject: { type: 'service', name: `matter ${t}` },
          description: 'A complaint seeded for the scale bench, long enough to look like one.',
          language: 'zh-CN',
          trackingSalt: 'bench',
          receivedAt: received.toISOString(),
          updatedAt: received.toISOString(),
          acceptanceDeadlineAt: received.toISOString(),
          complainantKey: `ck${t}`,
          subjectKey: `sk${t}`,
          status: 'received',
        }).Put.Item,
        ...withQueuePosition(id, {
          currentStep: 'investigation',
          level: 0,
          deadlineAt: new Date(received.getTime() + 2 * 86400_000).toISOString(),
        }),
        status: 'investigation',
        assignee: `t${pad(team)}.h${t % 48}@bench.example`,
      });
    }
    await seed(table.direct, items);

    const recipients = reportRecipients(desk).map((r) => r.to);
    const refused = recipients[1_234]!;
    ses.refusing.add(refused);

    const scheduled = await metered(table.meter, () => sendWeeklyReport({ budgetMs: BUDGET_MS }));
    let minutely = 0;
    const rest = await metered(table.meter, async () => {
      const counts = { sent: 0, deferred: 0, failed: 0 };
      for (;;) {
        const run = await deliverDueReports({ budgetMs: BUDGET_MS });
        if (run.sent + run.deferred + run.failed === 0) return counts;
        minutely++;
        for (const k of ['sent', 'deferred', 'failed'] as const) counts[k] += run[k];
      }
    });
    const rerun = await sendWeeklyReport({ budgetMs: BUDGET_MS });
    ses.refusing.delete(refused);
    moveClockForward(60_000);
    const retry = await deliverDueReports({ budgetMs: BUDGET_MS });

    const total = recipients.length;
    const once = recipients.filter((to) => ses.sent.get(to) === 1).length;
    const twice = recipients.filter((to) => (ses.sent.get(to) ?? 0) > 1).length;
    const fine =
      once === total &&
      twice === 0 &&
      retry.sent === 1 &&
      rerun.planned === 0 &&
      rerun.sent === 0 &&
      [...ses.refused.keys()].every((to) => to === refused);
    const writes = table.meter.reading().writeUnits;
    return [
      fine
        ? `weekly report: ${total.toLocaleString('en')} recipients, each sent once; one failed send retried alone`
        : `weekly report: ${total.toLocaleString('en')} recipients: ${once} sent once, ${twice} more than once, ${total - once - twice} never; the retry sent ${retry.sent}`,
      `weekly report: the schedule's run wrote ${scheduled.result.planned.toLocaleString('en')} claims and sent ${scheduled.result.sent} in its ${BUDGET_MS / 1000} s (${(scheduled.ms / 1000).toFixed(1)} s here); ${minutely} every-minute runs sent ${rest.result.sent.toLocaleString('en')} more and put back the refused one (${rest.result.deferred}); the schedule run again wrote ${rerun.planned} claims and sent ${rerun.sent}; the refused report went on its retry (${ses.refused.get(refused) ?? 0} refused tries before)`,
      `weekly report: per report ${((scheduled.readUnits + rest.readUnits) / total).toFixed(1)} RRU, ${(writes / total).toFixed(1)} WRU (claim, take, mark; seeding aside: ${((scheduled.reads + rest.reads) / total).toFixed(1)} reads)`,
    ];
  } finally {
    await table.stop();
    await ses.close();
  }
}

if (isOwnProcess(import.meta.filename)) runOwnProcess(main);

export default function (): Promise<string[]> {
  return inOwnProcess(import.meta.filename);
}
