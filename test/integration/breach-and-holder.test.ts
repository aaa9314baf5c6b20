import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { ownStack } from '../support/own-stack';
import { CaseDriver, emailsTo, expectStatus, moveClock, SUBJECTS, stack, track } from '../support/stack-client';
import { signIn, staffJson, staffPost } from '../support/staff-client';
import { complaintRecord } from '../support/table';

/**
 * A task that stays breached, and escalation that starts from whoever holds the task. The file
 * runs its own stack and moves its clock: every deadline here passes because the test says so.
 */
ownStack();

const levels = DEFAULT_DESK_CONFIG.serviceLevels;
const trust = DEFAULT_DESK_CONFIG.teams.trust!;
const BREACHED = /BREACHED.*To do: Acceptance review/;
const ESCALATED = /Escalated.*To do: Acceptance review/;

async function idOf(c: CaseDriver): Promise<string> {
  return (await track(c.trackingUrl)).json.id as string;
}

describe('a breached task', () => {
  it('keeps its real deadline (late since then, first in the queue), stays in sight of the handler it escalated from, and its holder is reminded every day', async () => {
    const c = await CaseDriver.file(1);
    await c.taskLink(SUBJECTS.acceptance, trust.handlers[0]);
    const id = await idOf(c);
    const due = (await complaintRecord(id))!.deadlineAt as string;

    await moveClock(levels.acceptanceSeconds + 60);
    await c.taskLink(ESCALATED, trust.supervisor);
    await moveClock(levels.escalationGraceSeconds + 60);
    await c.taskLink(ESCALATED, trust.manager);
    await moveClock(levels.escalationGraceSeconds + 60);
    const first = await c.taskLink(BREACHED, trust.manager);
    // An on-time case filed now, due long after the breached one.
    const onTime = await CaseDriver.file(2);
    await onTime.taskLink(SUBJECTS.acceptance, trust.handlers[0]);

    const record = (await complaintRecord(id))!;
    expect(record.breached).toBe(true);
    // Not re-dated: the deadline the case missed, in the past.
    expect(record.deadlineAt).toBe(due);
    const manager = await signIn(trust.manager);
    const queue = expectStatus(await staffJson('/staff/queue?limit=100', manager.cookie), 200, 'queue').json;
    const numbers = queue.items.map((i: any) => i.number);
    expect(numbers.indexOf(c.number)).toBeLessThan(numbers.indexOf(onTime.number));
    expect(queue.items.find((i: any) => i.number === c.number)).toMatchObject({
      deadlineAt: due,
      deadlineState: 'late',
    });
    const page = await (
      await fetch(`${stack().api}/staff/queue?lang=en`, { headers: { cookie: manager.cookie } })
    ).text();
    expect(page).toMatch(/Late since/);
    // The handler it escalated from keeps it in sight.
    const handler = await signIn(trust.handlers[0]!);
    const mine = expectStatus(await staffJson('/staff/queue', handler.cookie), 200, 'queue').json;
    expect(mine.escalatedFromMe.map((i: any) => i.number)).toContain(c.number);
    expect(mine.items.map((i: any) => i.number)).not.toContain(c.number);
    const handlerPage = await (
      await fetch(`${stack().api}/staff/queue?lang=en`, { headers: { cookie: handler.cookie } })
    ).text();
    expect(handlerPage).toContain('Escalated from me');
    expect(handlerPage).toContain(c.number);

    // A day later, and the day after, the holder is reminded with a live link; the complainant is told once.
    await moveClock(levels.overdueReminderSeconds + 60);
    const second = await c.taskLink(BREACHED, trust.manager);
    expect((await fetch(first.url)).status).toBe(410);
    await moveClock(levels.overdueReminderSeconds + 60);
    const third = await c.taskLink(BREACHED, trust.manager);
    expect((await fetch(second.url)).status).toBe(410);
    expect((await complaintRecord(id))!.deadlineAt).toBe(due);
    expect((await emailsTo(c.complainantEmail)).filter((e) => /处理已延误|running late/i.test(e.subject))).toHaveLength(
      1,
    );
    expect((await c.act(third.url, { decision: 'accept' })).response.status).toBe(200);
    await c.status((x) => x.status === 'investigation');
  });
});

describe('escalation', () => {
  it('tells the old holder of a reassigned task, and skips the person who already holds the task: reassigned to the supervisor, it escalates to the manager', async () => {
    const c = await CaseDriver.file(1);
    const old = await c.taskLink(SUBJECTS.acceptance, trust.handlers[0]);
    const id = await idOf(c);
    const supervisor = await signIn(trust.supervisor);
    const moved = await staffPost(`/staff/complaints/${id}/reassignment?lang=en`, supervisor, {
      nonce: supervisor.nonce,
      to: trust.supervisor,
      reason: 'handler on leave',
    });
    expect(moved.response.status).toBe(303);
    await c.taskLink(SUBJECTS.acceptance, trust.supervisor);
    // The old holder is told by mail, and their link says the task went to someone else.
    const told = await c.email(/Task reassigned/, trust.handlers[0]);
    expect(told.body.text).toContain(trust.supervisor);
    expect(told.body.text).toContain('handler on leave');
    const oldPage = await fetch(`${old.url}?lang=en`);
    expect(oldPage.status).toBe(410);
    const oldText = await oldPage.text();
    expect(oldText).toContain(`reassigned to ${trust.supervisor}`);
    expect(oldText).not.toContain('A fresh link');

    await moveClock(levels.acceptanceSeconds + 60);
    const escalated = await c.taskLink(ESCALATED, trust.manager);
    expect(escalated.email.body.text).toContain(trust.supervisor);
    expect((await complaintRecord(id))!.assignee).toBe(trust.manager);
    expect(
      (await emailsTo(trust.supervisor)).filter((e) => e.subject.includes(c.number) && ESCALATED.test(e.subject)),
    ).toHaveLength(0);

    // The supervisor it escalated from still sees it in the team's queue (a new session: the
    // clock moved past the first one's 12 hours).
    const again = await signIn(trust.supervisor);
    const queue = expectStatus(await staffJson('/staff/queue?limit=100', again.cookie), 200, 'queue').json;
    expect(queue.items.find((i: any) => i.number === c.number)).toMatchObject({ assignee: trust.manager, level: 2 });
  });
});
