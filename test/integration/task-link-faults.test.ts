import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { hashSecret } from '../../functions/domain/ids';
import { SWEEP_QUIET_MS } from '../../functions/domain/stalled';
import { taskLinkKey } from '../../functions/store/task-links';
import { endFaults } from '../support/faults';
import { ownStack } from '../support/own-stack';
import { CaseDriver, moveClock, nonceOf, postFields, readMailbox, SUBJECTS, track } from '../support/stack-client';
import { stalledCases } from '../support/stalled';
import { complaintRecord, eventsOf, TABLE, table } from '../support/table';

/**
 * A decision is recorded with its link's claim in one write, then Step Functions is told. When
 * telling it fails (not a refusal), the decision stands: the person is told it is recorded, and
 * the stalled-case sweep tells the workflow again once the case has been quiet, so the next step's
 * task arrives and nothing lapses or escalates. The local proxy in front of Step Functions answers
 * 500 ServiceUnavailable to every SendTaskSuccess (REDRESS_FAULT=send-task-success-failing) until
 * the first test ends the fault.
 */
ownStack({ REDRESS_FAULT: 'send-task-success-failing:3600', REDRESS_RECONCILE_EVERY_MS: '1000' });

const HAPPY_START = [
  'complaint.received',
  'workflow.started',
  'acknowledgement.sent',
  'task.assigned',
  'decision.recorded',
];

function withLanguage(url: string, lang: string): string {
  const u = new URL(url);
  u.searchParams.set('lang', lang);
  return u.toString();
}

async function linkRecord(url: string): Promise<Record<string, any> | undefined> {
  const linkId = new URL(url).pathname.split('/').pop()!;
  return (
    await table().send(new GetCommand({ TableName: TABLE, Key: taskLinkKey(hashSecret(linkId)), ConsistentRead: true }))
  ).Item;
}

/** Opens the task and posts an acceptance with the page's nonce, in `lang`. */
async function accept(url: string, lang: string) {
  const page = await fetch(withLanguage(url, lang));
  const text = await page.text();
  if (page.status !== 200)
    throw new Error(
      `task page answered ${page.status}: ${text
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .slice(0, 300)}`,
    );
  return postFields(withLanguage(url, lang), { nonce: nonceOf(text), decision: 'accept' });
}

async function withdraw(c: CaseDriver) {
  const url = new URL(c.trackingUrl);
  const response = await fetch(`${url.origin}${url.pathname}/withdrawal${url.search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    body: JSON.stringify({}),
  });
  return { status: response.status, json: (await response.json()) as any };
}

const heading = (text: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(text)?.[1] ?? '';
const investigationMails = async (to: string) =>
  (await readMailbox()).filter((m) => m.destination.to.includes(to) && SUBJECTS.investigation.test(m.subject));

describe('a decision whose word to Step Functions fails (not a refusal)', () => {
  it('is recorded and the person told so; the workflow is told again once the case is quiet, the next task arrives once, and the step never lapses', async () => {
    const c = await CaseDriver.file(1);
    const id = (await track(c.trackingUrl)).json.id as string;
    const { url, email } = await c.taskLink(SUBJECTS.acceptance);
    const handler = email.destination.to[0]!;

    const decided = await accept(url, 'en');
    expect(decided.response.status).toBe(200);
    expect(heading(decided.text)).toBe('Recorded');
    expect(await linkRecord(url)).toMatchObject({
      state: 'decided',
      decision: { step: 'acceptance', decision: 'accept' },
    });
    // The record moved on at once (one write with the claim); the workflow has not heard.
    expect(await complaintRecord(id)).toMatchObject({ status: 'investigation', currentStep: 'investigation' });
    expect((await eventsOf(id)).map((e) => e.action).slice(0, HAPPY_START.length)).toEqual(HAPPY_START);
    expect(await stalledCases({ only: [id] })).toMatchObject([{ id, reason: 'decision-unheard' }]);

    // A second post on the same link is refused: the decision is recorded once.
    const again = await accept(url, 'zh-CN').catch((error: Error) => ({ error }));
    expect('error' in again ? again.error.message : '').toMatch(/answered 4\d\d/);

    // Once the fault ends and the case was quiet for the sweep's period, the sweep tells the workflow again.
    await endFaults('send-task-success-failing');
    await moveClock(SWEEP_QUIET_MS / 1000 + 60);
    await c.taskLink(SUBJECTS.investigation, handler);
    const actions = (await eventsOf(id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'decision.recorded')).toHaveLength(1);
    expect(actions).not.toEqual(expect.arrayContaining(['deadline.missed']));
    expect(actions).not.toEqual(expect.arrayContaining(['task.escalated']));
    expect((await complaintRecord(id))?.level ?? 0).toBe(0);
    expect(await investigationMails(handler)).toHaveLength(1);
    expect(await stalledCases({ only: [id] })).toEqual([]);
  });

  it('lets the complainant withdraw right after such a decision: the decision stands, the case closes after it, nothing is left stalled', async () => {
    const c = await CaseDriver.file(1);
    const id = (await track(c.trackingUrl)).json.id as string;
    const { url } = await c.taskLink(SUBJECTS.acceptance);
    const decided = await accept(url, 'en');
    // The fault has ended: this decision is heard at once; the withdrawal works either way.
    expect(decided.response.status).toBe(200);

    const withdrawn = await withdraw(c);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.json).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    const actions = (await eventsOf(id)).map((e) => e.action);
    expect(actions.indexOf('decision.recorded')).toBeGreaterThan(-1);
    expect(actions.indexOf('complaint.withdrawn')).toBeGreaterThan(actions.indexOf('decision.recorded'));
    expect(await linkRecord(url)).toMatchObject({ state: 'decided' });
    expect(await stalledCases({ only: [id] })).toEqual([]);
  });
});
