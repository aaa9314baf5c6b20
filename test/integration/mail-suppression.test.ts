import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  CaseDriver,
  complaintBody,
  emailsTo,
  fileComplaint,
  SUBJECTS,
  useStackSettingsInProcess,
  waitForEmail,
} from '../support/stack-client';
import { TABLE, table } from '../support/table';

/**
 * SES reports a hard bounce or a spam complaint through the configuration set's events;
 * RecordMailEvent records the address, and from then on sendEmail skips it while the complaint
 * goes on. Locally SES never bounces, so the test hands RecordMailEvent an SES event itself,
 * writing to the local stack's DynamoDB.
 */
async function recordMailEvent(event: unknown): Promise<{ suppressed: number }> {
  useStackSettingsInProcess();
  process.env.REDRESS_LOG_LEVEL = 'silent';
  const { handler } = await import('../../functions/mail/record-mail-event');
  return (await handler(event as never, {} as never)) as { suppressed: number };
}

const bounce = (address: string, bounceType: string) => ({
  source: 'aws.ses',
  'detail-type': 'Email Bounced',
  detail: {
    eventType: 'Bounce',
    mail: { messageId: 'm-1', timestamp: new Date().toISOString() },
    bounce: {
      bounceType,
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: address }],
      timestamp: new Date().toISOString(),
    },
  },
});

describe('suppressed recipients', () => {
  it('records a hard bounce, then files the next complaint from that address without mailing it, while the case goes on', async () => {
    const body = complaintBody(1);
    const address: string = body.complainant.email;
    // SES reports the address in its own case; the suppression matches any case.
    expect(await recordMailEvent(bounce(address.toUpperCase(), 'Permanent'))).toEqual({ suppressed: 1 });

    const { response, json } = await fileComplaint(body);
    expect(response.status).toBe(201);
    const c = new CaseDriver(json.number, json.trackingUrl, address);
    // The workflow still opens the acceptance review for the handler …
    const acceptance = await c.taskLink(SUBJECTS.acceptance);
    expect((await c.act(acceptance.url, { decision: 'accept' })).response.status).toBe(200);
    await c.status((x) => x.status === 'investigation');
    // … and the complainant got neither the acknowledgement nor the acceptance.
    await new Promise((r) => setTimeout(r, 500));
    expect(await emailsTo(address)).toEqual([]);
  });

  it('does not suppress an address after a transient bounce, and records a complaint (spam report) too', async () => {
    const transient = complaintBody(1);
    expect(await recordMailEvent(bounce(transient.complainant.email, 'Transient'))).toEqual({ suppressed: 0 });
    await fileComplaint(transient);
    await waitForEmail(transient.complainant.email, /收到您的投诉|received your complaint/);

    const spam = complaintBody(1);
    const complaintEvent = {
      source: 'aws.ses',
      detail: {
        eventType: 'Complaint',
        mail: { messageId: 'm-2' },
        complaint: { complainedRecipients: [{ emailAddress: spam.complainant.email }], complaintFeedbackType: 'abuse' },
      },
    };
    expect(await recordMailEvent(complaintEvent)).toEqual({ suppressed: 1 });
    const filed = await fileComplaint(spam);
    const c = new CaseDriver(filed.json.number, filed.json.trackingUrl, spam.complainant.email);
    await c.taskLink(SUBJECTS.acceptance);
    expect(await emailsTo(spam.complainant.email)).toEqual([]);
  });

  it('keeps no address in the suppression item, and lets it expire with the retention period', async () => {
    const address = complaintBody(1).complainant.email as string;
    await recordMailEvent(bounce(address, 'Permanent'));
    const { suppressionKey, suppressionKeyOf } = await import('../../functions/store/suppressions');
    const { Item } = await table().send(
      new GetCommand({ TableName: TABLE, Key: suppressionKey(suppressionKeyOf(address)), ConsistentRead: true }),
    );
    expect(Item).toMatchObject({ reason: 'bounce', suppressedAt: expect.any(String), expiresAt: expect.any(Number) });
    expect(JSON.stringify(Item)).not.toContain(address);
    expect(Item!.expiresAt - Date.now() / 1000).toBeGreaterThan(364 * 86400);
  });
});
