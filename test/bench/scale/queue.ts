/**
 * The staff queue at scale: a desk of 2,000 staff in 40 teams (49 handlers and a supervisor each,
 * one manager over all) with tens of thousands of open tasks, one handler holding 3,000 of them,
 * seeded in bulk with the product's own item shapes (putComplaint, and the work-queue position a
 * step's write gives). Each page is read through the product's use case (app/staff-queue.ts)
 * against a private DynamoDB Local behind the capacity meter: the queries and read units a page
 * costs. The point: they do not grow with the open tasks or the staff.
 */
import { parseDeskConfig, type DeskConfig } from '../../../functions/domain/config';
import { STEP_STATUS, type HumanStep } from '../../../functions/domain/lifecycle';
import {
  inOwnProcess,
  isOwnProcess,
  metered,
  privateTable,
  random,
  runOwnProcess,
  seed,
} from '../scale-support/private-table';

const TASKS = Number(process.env.BENCH_QUEUE_TASKS ?? 30_000);
const TEAMS = 40;
const HANDLERS = 49;
const BUSY = 3_000;
const PAGE = 50;
const MANAGER = 'desk.manager@bench.example';
const pad = (n: number) => String(n).padStart(2, '0');
const handlerOf = (team: number, h: number) => `t${pad(team)}.h${pad(h)}@bench.example`;
const supervisorOf = (team: number) => `t${pad(team)}.supervisor@bench.example`;

function benchDesk(): DeskConfig {
  const teams: Record<string, unknown> = {};
  const categories: unknown[] = [];
  for (let t = 0; t < TEAMS; t++) {
    teams[`t${pad(t)}`] = {
      handlers: Array.from({ length: HANDLERS }, (_, h) => handlerOf(t, h)),
      supervisor: supervisorOf(t),
      manager: MANAGER,
    };
    for (const c of ['a', 'b'])
      categories.push({
        id: `c${pad(t)}${c}`,
        name: { 'zh-CN': `类别 ${t}${c}`, en: `Category ${t}${c}` },
        team: `t${pad(t)}`,
      });
  }
  categories.push({ id: 'other', name: { 'zh-CN': '其他', en: 'Other' }, team: 't00' });
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

const STEPS: HumanStep[] = ['acceptance', 'investigation', 'reply'];

async function main(): Promise<string[]> {
  const desk = benchDesk();
  const table = await privateTable(desk);
  try {
    const { newComplaintId, newComplaintNumber } = await import('../../../functions/domain/ids');
    const complaints = (await import(
      '../../../functions/store/complaints'
    )) as typeof import('../../../functions/store/complaints') & {
      withQueuePosition?: (id: string, changes: Record<string, unknown>) => Record<string, unknown>;
    };
    const { staffQueue } = await import('../../../functions/app/staff-queue');
    const { staffMember, queueFiltersOf } = await import('../../../functions/domain/staff');

    // Open tasks: 3,000 on one handler, the rest spread over the other handlers; one in twenty
    // escalated to its supervisor; deadlines from a day ago to four days ahead.
    const next = random(20261205);
    const now = Date.now();
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < TASKS; i++) {
      const busy = i < BUSY;
      const team = busy ? 0 : Math.floor(next() * TEAMS);
      const escalated = !busy && next() < 0.05;
      const assignee = busy
        ? handlerOf(0, 0)
        : escalated
          ? supervisorOf(team)
          : handlerOf(team, 1 + Math.floor(next() * (HANDLERS - 1)));
      const step = STEPS[Math.floor(next() * STEPS.length)]!;
      const received = new Date(now - Math.floor(next() * 4 * 86400_000));
      const id = newComplaintId(received);
      const deadlineAt = new Date(now + Math.floor((next() * 5 - 1) * 86400_000)).toISOString();
      const record = {
        id,
        number: newComplaintNumber(received, desk.timeZone),
        channel: 'web' as const,
        complainant: { name: 'Bench', email: `c${i}@complainant.example` },
        category: `c${pad(team)}${next() < 0.5 ? 'a' : 'b'}`,
        subject: { type: 'service' as const, name: `matter ${i}` },
        description: 'A complaint seeded for the scale bench, long enough to look like one.',
        language: 'zh-CN' as const,
        trackingSalt: 'bench',
        receivedAt: received.toISOString(),
        updatedAt: received.toISOString(),
        acceptanceDeadlineAt: new Date(received.getTime() + 86400_000).toISOString(),
        complainantKey: `ck${i}`,
        subjectKey: `sk${i}`,
        priority: 4 as const,
        status: 'received' as const,
      };
      const item = complaints.putComplaint(record).Put.Item as Record<string, unknown>;
      const stepChanges = { currentStep: step, level: escalated ? 1 : 0, deadlineAt };
      Object.assign(item, complaints.withQueuePosition?.(id, stepChanges) ?? stepChanges, {
        status: STEP_STATUS[step],
        assignee,
      });
      items.push(item);
    }
    const seeding = performance.now();
    await seed(table.direct, items);
    console.error(`(queue: seeded ${TASKS} open tasks in ${((performance.now() - seeding) / 1000).toFixed(1)} s)`);

    const page = (email: string, query: Record<string, string> = {}) =>
      metered(table.meter, () =>
        staffQueue(staffMember(desk, email)!, queueFiltersOf({ limit: String(PAGE), ...query })),
      );
    const figures = (m: Awaited<ReturnType<typeof page>>) =>
      `${m.reads.toLocaleString('en')} ${m.reads === 1 ? 'query' : 'queries'}, ${m.readUnits.toLocaleString('en')} RRU for a page of ${m.result.items.length} (${Math.round(m.ms)} ms here)`;
    const tasks = TASKS.toLocaleString('en');
    const staff = (TEAMS * (HANDLERS + 1)).toLocaleString('en');

    const first = await page(MANAGER);
    const second = await page(MANAGER, { cursor: first.result.nextCursor ?? '' });
    const late = await page(MANAGER, { late: '1' });
    const busy = await page(handlerOf(0, 0));
    const supervisor = await page(supervisorOf(7));
    const status = await page(MANAGER, { status: 'reply' });
    // The pages hold what they should: escalated work first, then by deadline, no case twice.
    const shown = [...first.result.items, ...second.result.items];
    if (new Set(shown.map((i) => i.id)).size !== shown.length) throw new Error('a case shows on two pages');
    if (late.result.items.some((i) => i.deadlineState !== 'late')) throw new Error('late=1 showed work not late');
    return [
      `queue: manager over ${staff} staff in ${TEAMS} teams, ${tasks} open tasks: ${figures(first)}`,
      `queue: the manager's next page (cursor): ${figures(second)}`,
      `queue: the manager's late=1: ${figures(late)}`,
      `queue: the manager's status=reply (a filter): ${figures(status)}`,
      `queue: supervisor of a team of ${HANDLERS + 1}: ${figures(supervisor)}`,
      `queue: handler holding ${BUSY.toLocaleString('en')} open tasks: ${figures(busy)}`,
    ];
  } finally {
    await table.stop();
  }
}

if (isOwnProcess(import.meta.filename)) runOwnProcess(main);

export default function (): Promise<string[]> {
  return inOwnProcess(import.meta.filename);
}
