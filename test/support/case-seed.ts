import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { CHANNELS, type Channel } from '../../functions/domain/complaint';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { newComplaintId, newComplaintNumber } from '../../functions/domain/ids';
import { STEP_STATUS, type HumanStep, type Outcome } from '../../functions/domain/lifecycle';
import { TABLE, table } from './table';

/**
 * Many cases at once for the case views: written straight to the table in the product's own item
 * shapes (store/complaints.ts putComplaint, the number and its parts as intake writes them, the
 * step fields as a step's write leaves them, the closed fields as closing leaves them), not
 * through intake and the workflow, which would take minutes for 200. The seeding process needs
 * the stack's settings (useStackSettingsInProcess) before it imports the store.
 */
export interface SeededCase {
  id: string;
  number: string;
  category: string;
  team: string;
  channel: Channel;
  priority: 1 | 2 | 3 | 4;
  kind: 'staff' | 'waiting-complainant' | 'waiting-respondent' | 'resolved' | 'withdrawn' | 'rejected';
  holder?: string;
  deadlineAt?: string;
  level: number;
  breached: boolean;
  receivedAt: string;
  updatedAt: string;
  name: string;
  email: string;
}

const KINDS: SeededCase['kind'][] = [
  'staff',
  'staff',
  'staff',
  'staff',
  'staff',
  'waiting-complainant',
  'waiting-respondent',
  'resolved',
  'withdrawn',
  'rejected',
];

async function parallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Seeds `count` cases spread over every category, status kind, priority, channel and deadline state. */
export async function seedCases(count: number, now = new Date(), tag = 'seed'): Promise<SeededCase[]> {
  const { putComplaint } = await import('../../functions/store/complaints');
  const { withQueuePosition } = await import('../../functions/store/complaints');
  const { numberFragmentPuts } = await import('../../functions/store/case-views');
  const { reserveNumber } = await import('../../functions/store/numbers');
  const desk = DEFAULT_DESK_CONFIG;
  const seeded: SeededCase[] = [];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const received = new Date(now.getTime() - (i + 1) * 3_600_000 - ((i * 7919) % 600_000));
    const updated = new Date(received.getTime() + ((i * 104_729) % 3_000_000));
    const id = newComplaintId(received);
    const number = newComplaintNumber(received, desk.timeZone);
    const category = desk.categories[i % desk.categories.length]!;
    const team = desk.teams[category.team]!;
    const kind = KINDS[i % KINDS.length]!;
    const priority = ((i % 4) + 1) as 1 | 2 | 3 | 4;
    const channel = CHANNELS[i % CHANNELS.length]!;
    const name = `${tag} person ${i}`;
    const email = `${tag}-${i}@example.com`;
    const base = putComplaint({
      id,
      number,
      channel,
      complainant: { name, email, language: 'zh-CN' },
      category: category.id,
      subject: { type: 'service', name: `${tag} subject ${i}` },
      description: `Seeded case ${i} for the case views: ${kind}.`,
      language: 'zh-CN',
      trackingSalt: 'seeded',
      receivedAt: received.toISOString(),
      updatedAt: updated.toISOString(),
      acceptanceDeadlineAt: received.toISOString(),
      complainantKey: `seeded-${id}`,
      subjectKey: `seeded-${id}`,
      status: 'received',
      priority,
    }).Put.Item as Record<string, unknown>;
    // Deadlines from 2.5 h late to 8.5 h ahead, an hour apart (none within half an hour of now), so every due state is there.
    const deadlineAt = new Date(now.getTime() + (((i * 5) % 12) - 3) * 3_600_000 + 1_800_000 + i * 1000).toISOString();
    const escalated = kind === 'staff' && i % 20 === 0;
    // Not the sweep's to move: no workflow runs for a seeded case.
    let fields: Record<string, unknown> = { sweepDue: undefined, sweepDueAt: undefined };
    let holder: string | undefined;
    if (kind === 'staff') {
      const step: HumanStep = (['acceptance', 'investigation', 'reply'] as const)[i % 3]!;
      holder = escalated ? team.supervisor : team.handlers[0]!;
      fields = {
        ...fields,
        ...withQueuePosition(id, { currentStep: step, level: escalated ? 1 : 0, deadlineAt }),
        status: STEP_STATUS[step],
        assignee: holder,
        handler: team.handlers[0],
        ...(escalated ? { breached: true } : {}),
      };
    } else if (kind === 'waiting-complainant' || kind === 'waiting-respondent') {
      const step: HumanStep = kind === 'waiting-complainant' ? 'information' : 'statement';
      holder = kind === 'waiting-complainant' ? email : `respondent-${i}@example.net`;
      fields = { ...fields, currentStep: step, level: 0, deadlineAt, status: STEP_STATUS[step], assignee: holder };
    } else {
      const outcome: Outcome = kind === 'resolved' ? 'resolved' : kind;
      fields = {
        status: 'closed',
        outcome,
        closedAt: updated.toISOString(),
        caseView: base.closedView,
        sweepDue: undefined,
        sweepDueAt: undefined,
      };
    }
    const item = Object.fromEntries(Object.entries({ ...base, ...fields }).filter(([, v]) => v !== undefined));
    items.push(item, reserveNumber(number, id).Put.Item, ...numberFragmentPuts(number, id).map((p) => p.Put.Item));
    seeded.push({
      id,
      number,
      category: category.id,
      team: category.team,
      channel,
      priority,
      kind,
      holder,
      deadlineAt: kind === 'staff' || kind.startsWith('waiting') ? deadlineAt : undefined,
      level: escalated ? 1 : 0,
      breached: escalated,
      receivedAt: received.toISOString(),
      updatedAt: updated.toISOString(),
      name,
      email,
    });
  }
  await parallel(items, 8, async (item) => {
    await table().send(new PutCommand({ TableName: TABLE, Item: item }));
  });
  return seeded;
}
