import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { ownStack } from '../support/own-stack';
import { CaseDriver, expectStatus, moveClock, SUBJECTS, stack, track } from '../support/stack-client';
import { signIn, staffJson } from '../support/staff-client';

/**
 * A manager's late-only filter, on a stack of this file's own (its clock moves): a task whose
 * acceptance deadline passed (escalated to the supervisor) is late, one filed after is not.
 */
ownStack();

const TRUST = DEFAULT_DESK_CONFIG.teams.trust!;

describe('the staff queue, late work', () => {
  it('shows a manager exactly the late cases with late=1, and marks each line', async () => {
    const late = await CaseDriver.file(1);
    await late.taskLink(SUBJECTS.acceptance, TRUST.handlers[0]);
    await moveClock(25 * 3600);
    await late.email(/Escalated/, TRUST.supervisor);
    const onTime = await CaseDriver.file(2);
    await onTime.taskLink(SUBJECTS.acceptance, TRUST.handlers[0]);
    const lateId = (await track(late.trackingUrl)).json.id;

    const manager = await signIn(TRUST.manager);
    const onlyLate = expectStatus(
      await staffJson('/staff/queue?late=1&limit=100', manager.cookie),
      200,
      'late queue',
    ).json;
    expect(onlyLate.items.map((i: any) => i.id)).toEqual([lateId]);
    expect(onlyLate.items[0]).toMatchObject({ deadlineState: 'late', level: 1, assignee: TRUST.supervisor });
    const all = (await staffJson('/staff/queue?limit=100', manager.cookie)).json;
    expect(all.items.map((i: any) => i.number).sort()).toEqual([late.number, onTime.number].sort());
    expect(all.items.find((i: any) => i.number === onTime.number).deadlineState).toBe('on-time');
    // The supervisor's own queue holds the escalated task, marked late on the page.
    const supervisor = await signIn(TRUST.supervisor);
    const page = await (
      await fetch(`${stack().api}/staff/queue?lang=en&late=1`, { headers: { cookie: supervisor.cookie } })
    ).text();
    expect(page).toContain(late.number);
    expect(page).toContain('data-deadline-state="late"');
    expect(page).not.toContain(onTime.number);
  });
});
