import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { hashSecret } from '../../functions/domain/ids';
import { CLAIM_SETTLES_MS } from '../../functions/domain/task-claims';
import { taskLinkKey } from '../../functions/store/task-links';
import { ownStack } from '../support/own-stack';
import { CaseDriver, moveClock, nonceOf, postFields, SUBJECTS, track, WAIT_MS } from '../support/stack-client';
import { stalledCases } from '../support/stalled';
import { complaintRecord, eventsOf, TABLE, table } from '../support/table';

/**
 * A decision claims its task link, then Step Functions is told. When Step Functions fails for a
 * reason other than refusing the token, the person is told plainly that nothing was recorded and
 * to try again, the link takes a decision again, and once Step Functions answers the same link
 * decides the task. The local proxy in front of Step Functions answers 500 ServiceUnavailable to
 * every SendTaskSuccess for the first FAILING_SECONDS of this stack
 * (REDRESS_FAULT=send-task-success-failing:<seconds>); the test gets to the task well within it.
 */
const FAILING_SECONDS = 30;
ownStack({ REDRESS_FAULT: `send-task-success-failing:${FAILING_SECONDS}` });

const HAPPY_START = ['complaint.received', 'workflow.started', 'acknowledgement.sent', 'task.assigned', 'decision.recorded', 'task.assigned'];

function withLanguage(url: string, lang: string): string {
  const u = new URL(url);
  u.searchParams.set('lang', lang);
  return u.toString();
}

async function linkRecord(url: string): Promise<Record<string, any> | undefined> {
  const linkId = new URL(url).pathname.split('/').pop()!;
  return (await table().send(new GetCommand({ TableName: TABLE, Key: taskLinkKey(hashSecret(linkId)), ConsistentRead: true }))).Item;
}

/** Opens the task and posts an acceptance with the page's nonce, in `lang`. */
async function accept(url: string, lang: string) {
  const page = await fetch(withLanguage(url, lang));
  const text = await page.text();
  if (page.status !== 200) throw new Error(`task page answered ${page.status}: ${text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
  return postFields(withLanguage(url, lang), { nonce: nonceOf(text), decision: 'accept' });
}

/** Posts an acceptance until Step Functions takes it (the fault window over); how many were answered 503 first. */
async function acceptOnceStepFunctionsAnswers(url: string, lang: string) {
  for (let refused = 0, deadline = Date.now() + WAIT_MS; Date.now() < deadline; refused++) {
    const attempt = await accept(url, lang);
    if (attempt.response.status !== 503) return { ...attempt, refused };
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`Step Functions still failed SendTaskSuccess after ${WAIT_MS} ms`);
}

const heading = (text: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(text)?.[1] ?? '';

describe('a decision Step Functions fails to take (not a refusal)', () => {
  it('is answered 503 with a page saying nothing was recorded and to try again, in both languages; the link stays usable, decides the task once Step Functions answers, and the step never lapses', async () => {
    const c = await CaseDriver.file(1);
    const id = (await track(c.trackingUrl)).json.id as string;
    const { url } = await c.taskLink(SUBJECTS.acceptance);
    const dueAt = (await linkRecord(url))?.dueAt;

    for (const lang of ['en', 'zh-CN']) {
      const refused = await accept(url, lang);
      expect(refused.response.status, `the fault window (${FAILING_SECONDS} s from the stack's start) must still be open`).toBe(503);
      expect(refused.response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(refused.response.headers.get('content-language')).toBe(lang);
      expect(heading(refused.text)).toBe(lang === 'en' ? 'Not recorded yet' : '尚未记录');
      expect(refused.text).toContain(lang === 'en' ? 'This link still works' : '此链接仍然有效');
      expect(refused.text).toContain(`href="?lang=${lang}"`);
      // Nothing was decided: the link is open again, with its deadline as it was, and the case still waits.
      expect(await linkRecord(url)).toMatchObject({ state: 'open', dueAt });
      expect((await linkRecord(url))?.decision).toBeUndefined();
      expect((await eventsOf(id)).map((e) => e.action)).not.toContain('decision.recorded');
    }

    // Once Step Functions answers again, the same link decides the task.
    const decided = await acceptOnceStepFunctionsAnswers(url, 'en');
    console.info(`SendTaskSuccess failing for ${FAILING_SECONDS} s: ${decided.refused + 2} decisions answered 503 before one went through`);
    expect(decided.response.status).toBe(200);
    expect(heading(decided.text)).toBe('Recorded');

    await c.taskLink(SUBJECTS.investigation);
    const actions = (await eventsOf(id)).map((e) => e.action);
    expect(actions.slice(0, HAPPY_START.length)).toEqual(HAPPY_START);
    expect(actions).not.toEqual(expect.arrayContaining(['deadline.missed']));
    expect(actions).not.toEqual(expect.arrayContaining(['task.escalated']));
    expect((await complaintRecord(id))?.level ?? 0).toBe(0);
    expect(await stalledCases({ only: [id] })).toEqual([]);
  });
});

describe('a claim whose process died before Step Functions was told (its state written into the table as the crash leaves it)', () => {
  /** Leaves the link claimed by its holder, as a process that died between the claim and the send would. */
  async function claimAndDie(url: string, holder: string): Promise<void> {
    const linkId = new URL(url).pathname.split('/').pop()!;
    await table().send(
      new UpdateCommand({
        TableName: TABLE,
        Key: taskLinkKey(hashSecret(linkId)),
        UpdateExpression: 'SET #state = :decided, decidedAt = :at, decidedBy = :by, decision = :decision',
        ConditionExpression: '#state = :open',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':decided': 'decided', ':open': 'open', ':at': new Date().toISOString(), ':by': holder, ':decision': { step: 'acceptance', decision: 'accept' } },
      }),
    );
  }

  async function withdraw(c: CaseDriver) {
    const url = new URL(c.trackingUrl);
    const response = await fetch(`${url.origin}${url.pathname}/withdrawal${url.search}`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, body: JSON.stringify({}) });
    return { status: response.status, json: (await response.json()) as any };
  }

  it('holds a withdrawal back while it may still be on its way; once it cannot be, the same link decides the task again, and a withdrawal takes the link over; nothing is left stalled', async () => {
    const decider = await CaseDriver.file(1);
    const withdrawer = await CaseDriver.file(1);
    const ids = await Promise.all([decider, withdrawer].map(async (c) => (await track(c.trackingUrl)).json.id as string));
    const links = await Promise.all([decider, withdrawer].map(async (c) => c.taskLink(SUBJECTS.acceptance)));
    for (const link of links) await claimAndDie(link.url, link.email.destination.to[0]!);

    // While the claim may still be on its way, a withdrawal is asked to come back: the decision
    // would be recorded first.
    const early = await withdraw(withdrawer);
    expect(early.status).toBe(409);
    expect(early.json).toMatchObject({ type: 'urn:redress:problem:decision-in-flight', title: expect.stringMatching(/being recorded/) });
    expect((await complaintRecord(ids[1]!))?.status).toBe('acceptance-review');

    // Past the time a claimed decision takes to be recorded, nobody is passing it on.
    await moveClock(CLAIM_SETTLES_MS / 1000 + 60);

    const again = await acceptOnceStepFunctionsAnswers(links[0]!.url, 'en');
    expect(again.response.status).toBe(200);
    expect(heading(again.text)).toBe('Recorded');
    await decider.taskLink(SUBJECTS.investigation);
    expect((await eventsOf(ids[0]!)).map((e) => e.action).filter((a) => a === 'decision.recorded')).toHaveLength(1);

    const late = await withdraw(withdrawer);
    expect(late.status).toBe(200);
    expect(late.json).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    expect(await linkRecord(links[1]!.url)).toMatchObject({ state: 'moved', movedReason: 'withdrawn' });
    const posted = await postFields(withLanguage(links[1]!.url, 'zh-CN'), { nonce: 'whatever', decision: 'accept' });
    expect(posted.response.status).toBe(410);
    expect(posted.text).toContain('您的决定未被记录');
    expect((await eventsOf(ids[1]!)).map((e) => e.action)).not.toContain('decision.recorded');

    expect(await stalledCases({ only: ids })).toEqual([]);
  });
});
