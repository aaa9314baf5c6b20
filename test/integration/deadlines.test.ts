import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { teamFor } from '../../functions/domain/desk';
import { ownStack } from '../support/own-stack';
import {
  CaseDriver,
  complaintBody,
  emailsTo,
  fileComplaint,
  moveClock,
  NEEDS_SCREENSHOT,
  stack,
  stackNow,
  SUBJECTS,
  waitForEmail,
} from '../support/stack-client';
import { complaintRecord, eventsOf } from '../support/table';
import { grantUpload, pngImage, postToS3, tokenOf } from '../support/evidence';

/**
 * Everything that happens when time passes with nobody acting. The file runs its own stack and
 * moves its clock: a deadline passes because the test says so, never because the machine was slow.
 */
ownStack();

const HOUR = 3600;
const _DAY = 24 * HOUR;
const levels = DEFAULT_DESK_CONFIG.serviceLevels;
const trust = DEFAULT_DESK_CONFIG.teams.trust!;
const actions = (c: any) => c.history.map((h: any) => h.action);

async function remind(complaintId: string, token: string) {
  const response = await fetch(`${stack().api}/complaints/${complaintId}/reminders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  return { response, json: (await response.json()) as any };
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

async function toSurvey(c: CaseDriver) {
  await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
  await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
    decision: 'record-findings',
    findings: 'Charged twice.',
  });
  await c.act((await c.taskLink(SUBJECTS.reply)).url, { reply: 'Refunded.', grounds: 'Payment log.' });
  return c.taskLink(SUBJECTS.outcome, c.complainantEmail);
}

describe('missed deadlines', () => {
  it('escalate to the supervisor, then the manager, end breached with the manager still able to act, and refuse the late original link', async () => {
    const c = await CaseDriver.file(1);
    const original = await c.taskLink(SUBJECTS.acceptance);
    await moveClock(levels.acceptanceSeconds + 60);
    const toSupervisor = await c.taskLink(/Escalated.*To do: Acceptance review/, trust.supervisor);
    expect(toSupervisor.email.body.text).toContain(original.email.destination.to[0]);
    await moveClock(levels.escalationGraceSeconds + 60);
    const toManager = await c.taskLink(/Escalated.*To do: Acceptance review/, trust.manager);
    await moveClock(levels.escalationGraceSeconds + 60);
    const breached = await c.taskLink(/BREACHED.*To do: Acceptance review/, trust.manager);

    // The manager is not told that the manager missed the deadline.
    expect(breached.email.body.text).toContain('past every escalation deadline');
    expect(breached.email.body.text).not.toContain(`${trust.manager} missed the deadline`);

    const late = await fetch(`${original.url}?lang=en`);
    expect(late.status).toBe(410);
    const lateText = await late.text();
    // The late original link names where it went first and who holds the task now.
    expect(lateText).toContain(`moved to ${trust.supervisor}`);
    expect(lateText).toContain(`${trust.manager} holds it now`);
    const lateSupervisor = await fetch(toSupervisor.url);
    expect(lateSupervisor.status).toBe(410);
    expect(await lateSupervisor.text()).toContain(trust.manager);

    const status = await c.status((x) => x.overdue === true);
    expect(actions(status).filter((a: string) => a === 'task.escalated')).toHaveLength(3);
    expect((await fetch(toManager.url)).status).toBe(410);
    // The breached task still takes the manager's decision.
    expect((await c.act(breached.url, { decision: 'accept' })).response.status).toBe(200);
    await c.status((x) => x.status === 'investigation');
  });
});

describe('the end of the escalation ladder', () => {
  it('never leaves a case unheld: the last resort is reminded with a live link, and the complainant is told once that it is late', async () => {
    const c = await CaseDriver.file(1);
    await c.taskLink(SUBJECTS.acceptance);
    await moveClock(levels.acceptanceSeconds + 60);
    await c.taskLink(/Escalated.*To do: Acceptance review/, trust.supervisor);
    await moveClock(levels.escalationGraceSeconds + 60);
    await c.taskLink(/Escalated.*To do: Acceptance review/, trust.manager);
    await moveClock(levels.escalationGraceSeconds + 60);
    const breached = await c.taskLink(/BREACHED.*To do: Acceptance review/, trust.manager);
    const notice = await c.email(/处理已延误|running late/i, c.complainantEmail);
    expect(notice.body.text).toMatch(/预计于|expect an answer by/);

    // Nobody acts that day, nor the next: each day a fresh link reaches the last resort.
    await moveClock(levels.overdueReminderSeconds + 60);
    await c.taskLink(/BREACHED.*To do: Acceptance review/, trust.manager);
    await moveClock(levels.overdueReminderSeconds + 60);
    const latest = await c.taskLink(/BREACHED.*To do: Acceptance review/, trust.manager);
    expect((await fetch(breached.url)).status).toBe(410);

    const status = await c.status((x) => x.status === 'acceptance-review');
    expect(status.overdue).toBe(true);
    expect((await c.act(latest.url, { decision: 'accept' })).response.status).toBe(200);
    await c.status((x) => x.status === 'investigation');
    expect((await emailsTo(c.complainantEmail)).filter((e) => /处理已延误|running late/i.test(e.subject))).toHaveLength(
      1,
    );
  });
});

describe('a wait for the complainant', () => {
  it('does not eat the desk’s time: evidence that arrives late still leaves the handler the full acceptance review', async () => {
    const { json } = await fileComplaint(complaintBody(0, NEEDS_SCREENSHOT));
    const c = new CaseDriver(json.number, json.trackingUrl, '');
    await waitForEmail(((await complaintRecord(json.id)) as any).complainant.email, SUBJECTS.evidence);
    await moveClock(levels.evidenceSeconds - 6 * HOUR);
    const png = pngImage();
    const grant = await grantUpload(json.id, tokenOf(json.trackingUrl), {
      fileName: 'screenshot.png',
      contentType: 'image/png',
      size: png.length,
    });
    expect((await postToS3(grant, png, 'image/png')).status).toBeLessThan(300);
    await c.taskLink(SUBJECTS.acceptance);
    const record = (await complaintRecord(json.id))!;
    const now = (await stackNow()).getTime();
    // The deadline is a whole acceptance review after the upload, on the stack's (moved) clock.
    const secondsLeft = (new Date(record.deadlineAt).getTime() - now) / 1e3;
    expect(secondsLeft).toBeGreaterThan(levels.acceptanceSeconds - 600);
    const events = await eventsOf(json.id);
    expect(
      events.find((e) => e.action === 'decision.recorded' && e.details?.step === 'evidence')?.details?.complainantNote
        ?.en,
    ).toMatch(/time starts now/);
  });
});

describe('the complainant or respondent does not answer in time', () => {
  it('closes the case as abandoned when a question goes unanswered', async () => {
    const c = await CaseDriver.file(6);
    await c.act((await c.taskLink(SUBJECTS.acceptance)).url, {
      decision: 'request-info',
      question: '页面具体在哪个时段加载缓慢？',
    });
    await c.email(SUBJECTS.information, c.complainantEmail);
    await moveClock(levels.informationSeconds + 60);
    const closed = await c.status((x) => x.status === 'closed');
    expect(closed.outcome).toBe('abandoned');
    await c.email(/投诉已关闭|Complaint closed/, c.complainantEmail);
  });

  it('goes on with the investigation when the respondent’s statement does not come', async () => {
    const c = await CaseDriver.file(7);
    await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
    const respondent = `ops-${c.number}@example.net`;
    await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
      decision: 'request-statement',
      respondentEmail: respondent,
      question: '请说明11月故障期间的数据备份情况。',
    });
    await c.email(SUBJECTS.statement, respondent);
    await moveClock(levels.statementSeconds + 60);
    const resumed = await c.taskLink(SUBJECTS.investigation);
    const page = await (await fetch(resumed.url)).text();
    expect(page).toMatch(/被投诉方未在期限内说明|No statement from the respondent in time/);
  });

  it('closes the case unrated when the survey is not answered', async () => {
    const c = await CaseDriver.file(10);
    await toSurvey(c);
    await moveClock(levels.surveySeconds + 60);
    const closed = await c.status((x) => x.status === 'closed');
    expect(closed).toMatchObject({ outcome: 'resolved' });
    expect(closed.satisfaction).toBeUndefined();
    expect((await eventsOf(closed.id)).map((e) => e.action)).toContain('survey.expired');
  });
});

describe('windows that close', () => {
  it('allows one reminder a day: the next is 429 with Retry-After, and goes to whoever holds the case once the day has passed', async () => {
    const c = await CaseDriver.file(6);
    await c.taskLink(SUBJECTS.acceptance);
    const id = new URL(c.trackingUrl).pathname.split('/').pop()!;
    const token = tokenOf(c.trackingUrl);
    expect((await remind(id, token)).response.status).toBe(201);
    const again = await remind(id, token);
    expect(again.response.status).toBe(429);
    expect(again.json.type).toBe('urn:redress:problem:reminder-too-soon');
    const retryAfter = Number(again.response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(DEFAULT_DESK_CONFIG.intake.reminderHours * HOUR - 120);
    expect(retryAfter).toBeLessThanOrEqual(DEFAULT_DESK_CONFIG.intake.reminderHours * HOUR);

    // A day later the acceptance review has passed its deadline too, and moved to the supervisor.
    await moveClock(retryAfter + 1);
    const supervisor = teamFor(DEFAULT_DESK_CONFIG, 'performance').supervisor;
    await c.taskLink(/Escalated.*To do: Acceptance review/, supervisor);
    const later = await remind(id, token);
    expect(later.response.status, JSON.stringify(later.json)).toBe(201);
    await waitForEmail(supervisor, new RegExp(`^\\[${c.number}\\] 投诉人催办`));
    expect((await eventsOf(id)).filter((e) => e.action === 'reminder.sent')).toHaveLength(2);
  });

  it('refuses a review asked for after its window closed, naming why', async () => {
    const c = await CaseDriver.file(10);
    const survey = await toSurvey(c);
    await c.act(survey.url, { rating: '4' });
    await c.status((x) => x.status === 'closed');
    await moveClock(levels.reviewWindowSeconds + 60);
    const late = await requestReview(c, 'I was charged twice.');
    expect(late.response.status).toBe(409);
    expect(late.json.type).toBe('urn:redress:problem:review-window-closed');
  });
});
