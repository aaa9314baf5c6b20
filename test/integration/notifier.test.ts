import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { emailsTo, useStackSettingsInProcess, waitForEmail } from '../support/stack-client';
import { TABLE, table } from '../support/table';

/** An email waiting in the outbox in its first format (rendered when queued), due at `dueAt`. */
async function queueRenderedEmail(id: string, subject: string, at: string, dueAt = at) {
  const key = { pk: `COMPLAINT#${id}`, sk: `OUTBOX#${at}#00abcdef` };
  const message = {
    to: `${id}@example.com`,
    subject,
    text: 'Queued before the deploy.',
    html: '<p>Queued before the deploy.</p>',
  };
  await table().send(
    new PutCommand({
      TableName: TABLE,
      Item: {
        ...key,
        complaintId: id,
        purpose: 'acknowledgement',
        message: gzipSync(JSON.stringify(message)),
        queuedAt: at,
        attempts: 1,
        dueAt,
        mailDue: 'MAILDUE#0',
      },
    }),
  );
  return key;
}

/**
 * The outbox's sender run in this process against the shared stack, with this process's clock
 * (moved here, and only here) two hours ahead: an email due an hour from now is due to it and not
 * yet to the stack's own sender.
 */
async function senderTwoHoursAhead() {
  useStackSettingsInProcess();
  process.env.REDRESS_LOG_LEVEL = 'silent';
  const clock = await import('../../functions/lib/clock');
  clock.moveClockForward(2 * 3600_000);
  return {
    ...clock,
    ...(await import('../../functions/app/deliver-due-mail')),
    ...(await import('../../functions/store/outbox')),
  };
}

/**
 * The outbox once stored emails rendered when they were queued; it now stores notices rendered
 * when they are sent. An email queued before a deploy may still wait (a failed first try waits
 * up to three days): the sender still sends it as it was written.
 */
describe('the outbox across the change from emails to notices', () => {
  it('sends an email queued in the first format (rendered, no channel) as it was written', async () => {
    const id = `legacy-${randomBytes(4).toString('hex')}`;
    const to = `${id}@example.com`;
    await queueRenderedEmail(
      id,
      `[${id}] An email queued before the notifier`,
      new Date(Date.now() - 3600_000).toISOString(),
    );
    // The stack's scheduled sender finds it due and sends it.
    const sent = await waitForEmail(to, /An email queued before the notifier/);
    expect(sent.body.text.trim()).toBe('Queued before the deploy.');
  });
});

/** Runs of the outbox's sender overlap (one outlasts its minute; a test's clock move beside the schedule). */
describe('the outbox’s sender', () => {
  it('sends an email two runs list at once only once: the first takes it, the second finds it not due', async () => {
    const { tryIfStillDue } = await senderTwoHoursAhead();
    const id = `twice-${randomBytes(4).toString('hex')}`;
    const key = await queueRenderedEmail(
      id,
      `[${id}] Listed by two runs`,
      new Date().toISOString(),
      new Date(Date.now() + 3600_000).toISOString(),
    );
    const results = await Promise.all([tryIfStillDue(key), tryIfStillDue(key)]);
    expect(results.filter((result) => result === 'sent')).toHaveLength(1);
    expect(results.filter((result) => result === undefined)).toHaveLength(1);
    expect((await emailsTo(`${id}@example.com`)).map((email) => email.subject)).toEqual([`[${id}] Listed by two runs`]);
  });

  it('leaves an email whose run died mid-try alone until the run’s time is over, then it is due again', async () => {
    const { takeQueuedMail, currentTime } = await senderTwoHoursAhead();
    const id = `died-${randomBytes(4).toString('hex')}`;
    const key = await queueRenderedEmail(
      id,
      `[${id}] Taken by a run that died`,
      new Date().toISOString(),
      new Date(Date.now() + 3600_000).toISOString(),
    );
    const now = currentTime();
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
    expect(await takeQueuedMail(key, at(0), at(120))).toMatchObject({ complaintId: id, attempts: 1 });
    expect(await takeQueuedMail(key, at(119), at(239))).toBeUndefined();
    expect(await takeQueuedMail(key, at(120), at(240))).toMatchObject({ complaintId: id, attempts: 1 });
    await table().send(new DeleteCommand({ TableName: TABLE, Key: key }));
    expect(await takeQueuedMail(key, at(1000), at(1120))).toBeUndefined();
  });
});
