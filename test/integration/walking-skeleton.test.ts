import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { COMPLAINT_NUMBER_PATTERN } from '../../functions/domain/ids';
import {
  complaintBody,
  emailsTo,
  fileComplaint,
  linkIn,
  nonceOf,
  postForm,
  stack,
  track,
  waitForEmail,
  waitForStatus,
  waitForTaskEmail,
} from '../support/stack-client';

async function storedItemsMentioning(email: string): Promise<number> {
  const client = new DynamoDBClient({
    endpoint: stack().dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { Items } = await client.send(
    new ScanCommand({
      TableName: 'Complaints',
      FilterExpression: 'complainant.email = :e',
      ExpressionAttributeValues: { ':e': { S: email } },
    }),
  );
  return Items?.length ?? 0;
}

async function fileAndOpenTask(index = 1, overrides: Record<string, any> = {}) {
  const body = complaintBody(index, overrides);
  const { response, json } = await fileComplaint(body);
  expect(response.status).toBe(201);
  const taskEmail = await waitForTaskEmail(json.number);
  return { body, filed: json, taskUrl: linkIn(taskEmail, '/tasks/'), taskEmail };
}

describe('filing a complaint', () => {
  it('answers 201 with the id, a readable number, the status and a private tracking link', async () => {
    const { response, json } = await fileComplaint(complaintBody(0));
    expect(response.status).toBe(201);
    expect(json.number).toMatch(COMPLAINT_NUMBER_PATTERN);
    expect(json.status).toBe('received');
    expect(json.trackingUrl).toMatch(new RegExp(`^${stack().api}/complaints/${json.id}\\?token=[\\w-]{43}$`));
    expect(response.headers.get('location')).toBe(`/complaints/${json.id}`);
  });

  it('emails the complainant an acknowledgement with the number and the tracking link', async () => {
    const body = complaintBody(0);
    const { json } = await fileComplaint(body);
    const email = await waitForEmail(body.complainant.email, /收到您的投诉/);
    expect(email.subject).toContain(json.number);
    expect(email.body.text).toContain(json.number);
    expect(email.body.text).toContain(json.trackingUrl);
  });

  it('writes to an English-speaking complainant in English', async () => {
    const body = complaintBody(10);
    expect(body.complainant.language).toBe('en');
    const { json } = await fileComplaint(body);
    const email = await waitForEmail(body.complainant.email, /received your complaint/);
    expect(email.body.text).toContain(json.number);
    const tracked = await track(json.trackingUrl);
    expect(tracked.json.statusLabel).toMatch(/[A-Za-z]/);
  });

  it('refuses invalid JSON with problem+json and stores nothing', async () => {
    const response = await fetch(`${stack().api}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"channel": "web",',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as any;
    expect(problem.type).toBe('urn:redress:problem:validation-failed');
    expect(problem.errors[0].path).toBe('(body)');
  });

  it('names every bad field in the complainant’s language, and stores and sends nothing', async () => {
    const body = complaintBody(0, {
      channel: 'fax',
      category: 'nonsense',
      description: '短',
      surprise: true,
      complainant: { email: 'not-an-email', language: 'zh-CN' },
    });
    const email = body.complainant.email;
    const { response, json } = await fileComplaint(body);
    expect(response.status).toBe(400);
    const paths = json.errors.map((e: any) => e.path).sort();
    expect(paths).toEqual(['channel', 'complainant.email', 'description', 'surprise']);
    expect(json.errors.find((e: any) => e.path === 'complainant.email').message).toBe('不是有效的电子邮件地址');
    expect(json.title).toBe('提交的内容有误');

    const unknownCategory = await fileComplaint(complaintBody(10, { category: 'nonsense' }));
    expect(unknownCategory.response.status).toBe(400);
    expect(unknownCategory.json.errors).toEqual([
      { path: 'category', message: expect.stringContaining('unknown category') },
    ]);

    await new Promise((r) => setTimeout(r, 500));
    expect(await emailsTo(email)).toEqual([]);
    expect(await storedItemsMentioning(email)).toBe(0);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await fetch(`${stack().api}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('the acceptance task link', () => {
  it('shows the complaint and a form on GET, and changes nothing', async () => {
    const { filed, taskUrl, body } = await fileAndOpenTask(1);
    const page = await fetch(taskUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(filed.number);
    expect(html).toContain(body.description);
    expect(html).toContain('name="decision"');
    await fetch(taskUrl);
    const status = await waitForStatus(filed.trackingUrl, (c) => c.status === 'acceptance-review');
    expect(status.history.map((h: any) => h.action)).toContain('task.assigned');
    expect(status.history.map((h: any) => h.action)).not.toContain('decision.recorded');
  });

  it('accepts through SendTaskSuccess; the workflow records it and the complainant is told', async () => {
    const { filed, taskUrl, body } = await fileAndOpenTask(1);
    const nonce = nonceOf(await (await fetch(taskUrl)).text());
    const decided = await postForm(taskUrl, { nonce, decision: 'accept' });
    expect(decided.response.status).toBe(200);
    expect(decided.text).toContain('已记录');
    // BeginInvestigation moves the status before OpenTask records the next assignment: wait for both.
    const complaint = await waitForStatus(
      filed.trackingUrl,
      (c) => c.status === 'investigation' && c.history.filter((h: any) => h.action === 'task.assigned').length === 2,
    );
    expect(complaint.history.map((h: any) => h.action)).toEqual([
      'complaint.received',
      'acknowledgement.sent',
      'task.assigned',
      'decision.recorded',
      'task.assigned',
    ]);
    expect(complaint.status).toBe('investigation');
    await waitForEmail(body.complainant.email, /已受理/);
  });

  it('refuses a second decision on the same task link, saying when the first was recorded', async () => {
    const { taskUrl } = await fileAndOpenTask(1);
    const nonce = nonceOf(await (await fetch(taskUrl)).text());
    const [first, second] = await Promise.all([
      postForm(taskUrl, { nonce, decision: 'accept' }),
      postForm(taskUrl, { nonce, decision: 'reject', reason: 'duplicate' }),
    ]);
    const statuses = [first.response.status, second.response.status].sort();
    expect(statuses).toEqual([200, 409]);
    const again = await postForm(taskUrl, { nonce, decision: 'accept' });
    expect(again.response.status).toBe(409);
    expect(again.text).toMatch(/已于 .+ 由 .+ 作出决定/);
    const page = await fetch(taskUrl);
    expect(await page.text()).toContain('已作出决定');
  });

  it('rejects with a reason; the complainant gets the explanation', async () => {
    const { filed, taskUrl, body } = await fileAndOpenTask(6);
    const nonce = nonceOf(await (await fetch(taskUrl)).text());
    const missingReason = await postForm(taskUrl, { nonce, decision: 'reject' });
    expect(missingReason.response.status).toBe(400);
    expect(missingReason.text).toContain('role="alert"');
    const decided = await postForm(taskUrl, { nonce, decision: 'reject', reason: 'out-of-scope' });
    expect(decided.response.status).toBe(200);
    const complaint = await waitForStatus(filed.trackingUrl, (c) => c.status === 'closed');
    expect(complaint.outcome).toBe('rejected');
    expect(complaint.history.find((h: any) => h.action === 'decision.recorded').detail).toMatch(
      /线下纠纷|offline dispute/,
    );
    const email = await waitForEmail(body.complainant.email, /未予受理|not accepted/);
    expect(email.body.text).toMatch(/消费者协会|consumer association/);
  });

  it('refuses a post without the page’s nonce', async () => {
    const { taskUrl } = await fileAndOpenTask(1);
    const forged = await postForm(taskUrl, { nonce: 'guessed', decision: 'accept' });
    expect(forged.response.status).toBe(409);
    const page = await (await fetch(taskUrl)).text();
    expect(page).toContain('name="decision"');
  });

  it('answers an unknown task link with a page, not an error', async () => {
    const response = await fetch(`${stack().api}/tasks/AAAAAAAAAAAAAAAAAAAAAA`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('the tracking link', () => {
  it('serves JSON when asked for JSON and a page otherwise', async () => {
    const { json: filed } = await fileComplaint(complaintBody(3));
    const asJson = await track(filed.trackingUrl);
    expect(asJson.response.headers.get('content-type')).toMatch(/application\/json/);
    expect(asJson.json).toMatchObject({ id: filed.id, number: filed.number });
    const page = await fetch(filed.trackingUrl);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain(filed.number);
  });

  it('looks the same for a wrong token as for no complaint, and shows no staff addresses', async () => {
    const { json: filed } = await fileComplaint(complaintBody(3));
    const wrong = await fetch(filed.trackingUrl.replace(/token=.{5}/, 'token=AAAAA'), {
      headers: { accept: 'application/json' },
    });
    expect(wrong.status).toBe(404);
    const none = await fetch(`${stack().api}/complaints/01M80AJZCYZ8FCH3TCHF65ZPN7?token=x`, {
      headers: { accept: 'application/json' },
    });
    expect(none.status).toBe(404);
    expect(await wrong.json()).toEqual(await none.json());
    await waitForTaskEmail(filed.number);
    const page = await (await fetch(filed.trackingUrl)).text();
    expect(page).not.toMatch(/handler@|supervisor@|manager@/);
  });
});
