import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import { staffMember } from '../../functions/domain/staff';
import { emailsTo, stack } from '../support/stack-client';
import { nextEmail, signIn } from '../support/staff-client';

/**
 * "Send the weekly report now" from the analytics page: a manager sends their own teams' report
 * (the default desk has no operator), a supervisor is refused with words that say so.
 */
const TEAMS = DEFAULT_DESK_CONFIG.teams;
const REPORT = /Weekly complaints report/;

async function sendNow(cookie: string, nonce: string, accept = 'application/json') {
  const response = await fetch(`${stack().api}/staff/analytics/weekly-report?lang=en`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-redress-nonce': nonce, cookie, accept },
    body: JSON.stringify({ nonce }),
  });
  return { response, text: await response.text() };
}

describe('sending the weekly report now', () => {
  it('is a manager’s for their own teams; a supervisor gets a 403 that names the report, not a case', async () => {
    const manager = await signIn(TEAMS.trust!.manager);
    const before = new Set((await emailsTo(TEAMS.trust!.manager)).map((e) => e.messageId));
    const page = await (
      await fetch(`${stack().api}/staff/analytics?lang=en`, { headers: { cookie: manager.cookie } })
    ).text();
    expect(page).toContain('Send the weekly report now');
    const sent = await sendNow(manager.cookie, manager.nonce);
    expect(sent.response.status, sent.text).toBe(200);
    const result = JSON.parse(sent.text);
    expect(result.recipients).toBeGreaterThan(0);
    // Each report planned goes once: sent by this request, or by the scheduled sender should it take it first.
    expect(result.planned).toBe(result.recipients);
    await nextEmail(TEAMS.trust!.manager, REPORT, before);

    const supervisor = await signIn(TEAMS.operations!.supervisor);
    const refused = await sendNow(supervisor.cookie, supervisor.nonce);
    expect(refused.response.status).toBe(403);
    expect(JSON.parse(refused.text).title).toMatch(/weekly report/);
    expect(refused.text).not.toContain('this case');
  });

  it('goes, for a manager of some teams, only to those teams’ managers and supervisors, about those teams', async () => {
    const { reportRecipients, managedTeams } = await import('../../functions/app/weekly-report');
    const desk = parseDeskConfig({
      ...DEFAULT_DESK_CONFIG,
      teams: {
        ...DEFAULT_DESK_CONFIG.teams,
        operations: { ...DEFAULT_DESK_CONFIG.teams.operations!, manager: 'ops.manager@example.org' },
      },
    });
    const opsManager = staffMember(desk, 'ops.manager@example.org')!;
    expect(managedTeams(opsManager)).toEqual(['operations']);
    expect(reportRecipients(desk, managedTeams(opsManager))).toEqual([
      { to: 'ops.manager@example.org', teams: ['operations'] },
      { to: TEAMS.operations!.supervisor, teams: ['operations'] },
    ]);
  });
});
