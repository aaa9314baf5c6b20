import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { CaseDriver, complaintBody, fileComplaint, SUBJECTS, track } from '../support/stack-client';
import { complaintRecord } from '../support/table';

const actions = (c: any) => c.history.map((h: any) => h.action);
const trust = DEFAULT_DESK_CONFIG.teams.trust!;

async function toSurvey(c: CaseDriver) {
  await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
  await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
    decision: 'record-findings',
    findings: '经核实，封禁依据不足。',
    actions: 'restore-account-and-apologise',
  });
  await c.act((await c.taskLink(SUBJECTS.reply)).url, { reply: '维持封禁。', grounds: '社区规则第3条' });
  return c.taskLink(SUBJECTS.outcome, c.complainantEmail);
}

async function requestReview(c: CaseDriver, reason: string) {
  const url = new URL(c.trackingUrl);
  const response = await fetch(`${url.origin}${url.pathname}/review-request${url.search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reason }),
  });
  return { response, json: (await response.json()) as any };
}

describe('review (复核)', () => {
  it('is upheld by a supervisor who did not handle the case; the ruling is final and a second review is refused', async () => {
    const c = await CaseDriver.file(2);
    const survey = await toSurvey(c);
    // Asked from the survey page: the review replaces the rating.
    expect(
      (await c.act(survey.url, { decision: 'request-review', reason: '我从未发布广告，请复核。' })).response.status,
    ).toBe(200);
    const review = await c.taskLink(SUBJECTS.review, trust.supervisor);
    expect(await (await fetch(review.url)).text()).toContain('我从未发布广告，请复核。');
    expect((await c.act(review.url, { decision: 'uphold', reason: '原处理依据充分。' })).response.status).toBe(200);
    const closed = await c.status((x) => x.status === 'closed' && !!x.finalRulingAt);
    expect(actions(closed)).toEqual(expect.arrayContaining(['review.requested', 'review.ruled', 'complaint.closed']));
    const ruling = await c.email(/复核结论/, c.complainantEmail);
    expect(ruling.body.text).toContain('维持原处理结果');

    const second = await requestReview(c, '再复核一次');
    expect(second.response.status).toBe(409);
    expect(second.json.type).toBe('urn:redress:problem:review-already-requested');

    // The ruling is final: the same complainant on the same matter again is malicious — once the
    // address's owner confirms it was them (anyone can type an address).
    const again = await fileComplaint(complaintBody(2, { complainant: { email: c.complainantEmail } }));
    expect(again.response.status).toBe(202);
    const confirmation = await c.email(/请确认|Please confirm/, c.complainantEmail);
    const link = /https?:\/\/\S+\/held-filings\/\S+/.exec(confirmation.body.text)![0];
    expect((await fetch(link, { method: 'POST' })).status).toBe(200);
    const banned = await fileComplaint(complaintBody(2, { complainant: { email: c.complainantEmail } }));
    expect(banned.response.status).toBe(403);
    expect(banned.json.type).toBe('urn:redress:problem:complainant-banned');
    expect(banned.json.bannedUntil).toBeTruthy();
  });

  it('can be asked for after the survey closed the case, and overturned with a new reply', async () => {
    const c = await CaseDriver.file(10);
    const survey = await toSurvey(c);
    await c.act(survey.url, { rating: '1', comment: 'Not fixed.' });
    await c.status((x) => x.status === 'closed' && x.outcome === 'resolved');
    const id = (await track(c.trackingUrl)).json.id as string;
    expect((await complaintRecord(id))!.caseView).toMatch(/#closed$/);

    const asked = await requestReview(c, 'I was charged twice and only refunded once.');
    expect(asked.response.status).toBe(202);
    // Reopened: back among its team's open cases in the case views.
    expect((await complaintRecord(id))!.caseView).toMatch(/#open$/);
    const review = await c.taskLink(SUBJECTS.review, trust.supervisor);
    expect(
      (
        await c.act(review.url, {
          decision: 'overturn',
          reason: 'The payment log shows two charges.',
          reply: 'We refund the second charge in full.',
        })
      ).response.status,
    ).toBe(200);
    const closed = await c.status((x) => x.status === 'closed' && !!x.finalRulingAt);
    expect(closed.outcome).toBe('resolved');
    const ruling = await c.email(/Review ruling/, c.complainantEmail);
    expect(ruling.body.text).toContain('We refund the second charge in full.');
    expect((await requestReview(c, 'again')).response.status).toBe(409);
  });

  it('is refused before there is a reply, naming why', async () => {
    const c = await CaseDriver.file(1);
    await c.taskLink(SUBJECTS.acceptance);
    const early = await requestReview(c, '太慢了');
    expect(early.response.status).toBe(409);
    expect(early.json.type).toBe('urn:redress:problem:review-not-replied');
    const missing = await requestReview(c, '');
    expect(missing.response.status).toBe(400);
    expect(missing.json.errors[0].path).toBe('reason');
    expect((await track(c.trackingUrl)).json.status).toBe('acceptance-review');
  });
});
