import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { waitForEmail } from '../support/stack-client';
import { TABLE, table } from '../support/table';

/**
 * The outbox once stored emails rendered when they were queued; it now stores notices rendered
 * when they are sent. An email queued before a deploy may still wait (a failed first try waits
 * up to three days): the sender still sends it as it was written.
 */
describe('the outbox across the change from emails to notices', () => {
  it('sends an email queued in the first format (rendered, no channel) as it was written', async () => {
    const id = `legacy-${randomBytes(4).toString('hex')}`;
    const to = `${id}@example.com`;
    const at = new Date(Date.now() - 3600_000).toISOString();
    const message = {
      to,
      subject: `[${id}] An email queued before the notifier`,
      text: 'Queued before the deploy.',
      html: '<p>Queued before the deploy.</p>',
    };
    await table().send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: `COMPLAINT#${id}`,
          sk: `OUTBOX#${at}#00abcdef`,
          complaintId: id,
          purpose: 'acknowledgement',
          message: gzipSync(JSON.stringify(message)),
          queuedAt: at,
          attempts: 1,
          dueAt: at,
          mailDue: 'MAILDUE#0',
        },
      }),
    );
    // The stack's scheduled sender finds it due and sends it.
    const sent = await waitForEmail(to, /An email queued before the notifier/);
    expect(sent.body.text.trim()).toBe('Queued before the deploy.');
  });
});
