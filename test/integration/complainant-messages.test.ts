import { describe, expect, it } from 'vitest';
import { CaseDriver, SUBJECTS, track } from '../support/stack-client';

/** What the complainant is told in words: a rejection with the handler's message, a review request confirmed by mail. */
describe('the complainant is told', () => {
  it('a rejection with the handler’s own message, in the mail and on the tracking page', async () => {
    const c = await CaseDriver.file(1);
    const words = `Please write to the forum moderators first (${Date.now().toString(36)}).`;
    const acted = await c.act((await c.taskLink(SUBJECTS.acceptance)).url, {
      decision: 'reject',
      reason: 'out-of-scope',
      message: words,
    });
    expect(acted.response.status).toBe(200);
    const mail = await c.email(/未予受理|not accepted/, c.complainantEmail);
    expect(mail.body.text).toContain(words);
    const view = (await track(c.trackingUrl)).json;
    expect(JSON.stringify(view.history)).toContain(words);
  });

  it('a review request, confirmed by mail', async () => {
    const c = await CaseDriver.file(10);
    await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
    await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
      decision: 'record-findings',
      findings: 'Charged twice.',
    });
    await c.act((await c.taskLink(SUBJECTS.reply)).url, { reply: 'Refunded.', grounds: 'Payment log.' });
    await c.taskLink(SUBJECTS.outcome, c.complainantEmail);
    const url = new URL(c.trackingUrl);
    const response = await fetch(`${url.origin}${url.pathname}/review-request${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'The refund never arrived.' }),
    });
    expect(response.status).toBe(202);
    const mail = await c.email(/已收到您的复核申请|request for a review is received/, c.complainantEmail);
    expect(mail.body.text).toContain('The refund never arrived.');
  });
});
