import { describe, expect, it } from 'vitest';
import { tokenOf } from '../support/evidence';
import {
  complaintBody,
  fileComplaint,
  NEEDS_SCREENSHOT,
  stack,
  track,
  WAIT_MS,
  waitForEmail,
  waitForStatus,
} from '../support/stack-client';
import { complaintRecord, eventsOf, setOnComplaint } from '../support/table';

async function remind(complaintId: string, token: string | undefined) {
  const response = await fetch(`${stack().api}/complaints/${complaintId}/reminders`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { response, json: (await response.json()) as any };
}

/** A complaint whose workflow waits on a handler (performance: no evidence needed). */
async function assignedComplaint() {
  const { json } = await fileComplaint(complaintBody(6));
  const status = await waitForStatus(json.trackingUrl, (c) => c.status === 'acceptance-review');
  // The step's status is set before its task (and assignee) is: wait for the assignee too.
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline && !(await complaintRecord(json.id))?.assignee)
    await new Promise((r) => setTimeout(r, 100));
  return {
    id: json.id as string,
    number: json.number as string,
    trackingUrl: json.trackingUrl as string,
    token: tokenOf(json.trackingUrl),
    status,
  };
}

describe('reminder (催办) through the tracking link', () => {
  it('emails the current assignee, records it, and shows it in the complainant’s history', async () => {
    const c = await assignedComplaint();
    const assignee = (await complaintRecord(c.id))!.assignee as string;
    const { response, json } = await remind(c.id, c.token);
    expect(response.status, JSON.stringify(json)).toBe(201);
    expect(new Date(json.nextReminderAt).getTime()).toBeGreaterThan(new Date(json.sentAt).getTime());
    // Handlers get many reminders from parallel tests: find this complaint's.
    const email = await waitForEmail(assignee, new RegExp(`^\\[${c.number}\\] 投诉人催办`));
    expect(email.body.text).toContain('The complainant sent a reminder');
    const event = (await eventsOf(c.id)).find((e) => e.action === 'reminder.sent');
    expect(event).toMatchObject({ actor: 'complainant', details: { assignee } });
    const tracked = await track(c.trackingUrl);
    expect(tracked.json.history.find((h: any) => h.action === 'reminder.sent').label).toBe('You sent a reminder');
  });

  it('sends one reminder when two arrive at once', async () => {
    const c = await assignedComplaint();
    const results = await Promise.all([remind(c.id, c.token), remind(c.id, c.token), remind(c.id, c.token)]);
    expect(results.map((r) => r.response.status).sort()).toEqual([201, 429, 429]);
    expect((await eventsOf(c.id)).filter((e) => e.action === 'reminder.sent')).toHaveLength(1);
  });

  it('says there is nobody to remind while the complaint waits for the complainant (409)', async () => {
    const { json } = await fileComplaint(complaintBody(0, NEEDS_SCREENSHOT));
    await waitForStatus(json.trackingUrl, (c) => c.status === 'awaiting-evidence');
    const { response, json: problem } = await remind(json.id, tokenOf(json.trackingUrl));
    expect(response.status).toBe(409);
    expect(problem.type).toBe('urn:redress:problem:nobody-to-remind');
    expect((await eventsOf(json.id)).filter((e) => e.action === 'reminder.sent')).toEqual([]);
  });

  it('refuses a closed complaint (409) and a wrong token (404, as if there were no complaint)', async () => {
    const c = await assignedComplaint();
    expect((await remind(c.id, c.token.replace(/^.{4}/, 'AAAA'))).response.status).toBe(404);
    expect((await remind(c.id, undefined)).response.status).toBe(404);
    await setOnComplaint(c.id, { status: 'closed', outcome: 'withdrawn' });
    const closed = await remind(c.id, c.token);
    expect(closed.response.status).toBe(409);
    expect(closed.json.type).toBe('urn:redress:problem:complaint-closed');
  });

  it('works from the tracking page without JavaScript: a plain form, a 303 back, a notice', async () => {
    const c = await assignedComplaint();
    const page = await (await fetch(`${c.trackingUrl}&lang=en`)).text();
    const action = /<form method="post" action="([^"]*\/reminders[^"]*)">/.exec(page)?.[1];
    expect(action).toBe(`${c.id}/reminders?lang=en`);
    expect(page).not.toMatch(/<script/);
    const target = new URL(action!.replace(/&amp;/g, '&'), c.trackingUrl);
    const post = () =>
      fetch(target, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: c.token }).toString(),
      });
    const sent = await post();
    expect(sent.status).toBe(303);
    const back = sent.headers.get('location')!;
    expect(back).toContain(`/complaints/${c.id}?token=`);
    expect(back).toContain('notice=reminder-sent');
    const shown = await (await fetch(back)).text();
    expect(shown).toContain('Your reminder was sent');
    expect(shown).toContain('role="status"');
    const tooSoon = await post();
    expect(tooSoon.headers.get('location')).toContain('notice=reminder-too-soon');
    expect(await (await fetch(tooSoon.headers.get('location')!)).text()).toContain('one reminder a day');
  });
});
