import { describe, expect, it } from 'vitest';
import { lastFullWeek } from '../../functions/domain/analytics';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { ownStack } from '../support/own-stack';
import { emailsTo, stack, useStackSettingsInProcess } from '../support/stack-client';
import { TABLE, table } from '../support/table';
import { GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The weekly report per recipient: a run writes one claim per recipient, and a sender takes,
 * builds and sends each on its own. The sender runs here in this process, step by step, against
 * a stack of this file's own whose every-minute sender is kept out of the way (its schedule ticks
 * once an hour); the stack's SES stand-in refuses sends while throttled (POST /local/throttle).
 */
ownStack({ REDRESS_RECONCILE_EVERY_MS: '3600000' });

const REPORT = /Weekly complaints report/;

async function throttleSes(seconds: number): Promise<void> {
  const response = await fetch(`${stack().mailbox}/local/throttle`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
  expect(response.status).toBe(200);
}

async function reports(to: string): Promise<number> {
  return (await emailsTo(to)).filter((e) => REPORT.test(e.subject)).length;
}

async function inProcess() {
  useStackSettingsInProcess();
  Object.assign(process.env, {
    // Each report carries an unsubscribe link signed with a key (this process's own: none is opened here).
    LINK_SIGNING_KEY: 'weekly-report-test-link-signing-key-0123456789',
    REDRESS_LOG_LEVEL: 'silent',
  });
  return {
    ...(await import('../../functions/app/weekly-report')),
    ...(await import('../../functions/store/reports')),
    ...(await import('../../functions/lib/clock')),
  };
}

describe('the weekly report', () => {
  it('sends each recipient’s report on its own: a failed send is retried alone, and a run written again sends nothing twice', async () => {
    const { planWeeklyReports, deliverDueReports, reportRecipients, reportKey, currentTime, moveClockForward } =
      await inProcess();
    const recipients = reportRecipients(DEFAULT_DESK_CONFIG).map((r) => r.to);
    const week = lastFullWeek(currentTime(), DEFAULT_DESK_CONFIG.timeZone);
    const run = `${week.from}-first`;
    expect(await planWeeklyReports(run, week, currentTime())).toEqual({
      recipients: recipients.length,
      planned: recipients.length,
    });

    // SES refuses: the one report taken is put back, due later; the others are untouched.
    await throttleSes(600);
    expect(await deliverDueReports({ limit: 1 })).toEqual({ sent: 0, deferred: 1, failed: 0 });
    await throttleSes(0);
    expect(await deliverDueReports()).toEqual({ sent: recipients.length - 1, deferred: 0, failed: 0 });
    const [failed] = await Promise.all(recipients.map(async (to) => ({ to, sent: await reports(to) }))).then((all) =>
      all.filter((r) => r.sent === 0),
    );
    expect(failed).toBeDefined();

    // The run written again (a retried schedule) claims nothing new; nothing is due yet.
    expect(await planWeeklyReports(run, week, currentTime())).toEqual({ recipients: recipients.length, planned: 0 });
    expect(await deliverDueReports()).toEqual({ sent: 0, deferred: 0, failed: 0 });

    // Its retry falls due: that report goes, alone.
    moveClockForward(60_000);
    expect(await deliverDueReports()).toEqual({ sent: 1, deferred: 0, failed: 0 });
    for (const to of recipients) expect(await reports(to), to).toBe(1);
    const claim = (await table().send(new GetCommand({ TableName: TABLE, Key: reportKey(run, failed!.to) }))).Item;
    expect(claim).toMatchObject({ state: 'sent', attempts: 2, lastError: 'TooManyRequestsException' });
    expect(claim?.mailDue).toBeUndefined();
  });

  it('leaves a report its sender took alone until the sender’s lease runs out, then sends it once', async () => {
    const {
      planWeeklyReports,
      deliverDueReports,
      reportRecipients,
      reportKey,
      takeReport,
      currentTime,
      moveClockForward,
    } = await inProcess();
    const recipients = reportRecipients(DEFAULT_DESK_CONFIG).map((r) => r.to);
    const before = Object.fromEntries(
      await Promise.all(recipients.map(async (to) => [to, await reports(to)] as const)),
    );
    const week = lastFullWeek(currentTime(), DEFAULT_DESK_CONFIG.timeZone);
    const run = `${week.from}-second`;
    await planWeeklyReports(run, week, currentTime());
    // A sender takes one and dies before it says how the send went.
    const now = currentTime();
    expect(
      await takeReport(
        reportKey(run, recipients[0]!),
        now.toISOString(),
        'a-sender-that-died',
        new Date(now.getTime() + 120_000).toISOString(),
      ),
    ).toMatchObject({ state: 'sending', attempts: 1 });
    expect(await deliverDueReports()).toEqual({ sent: recipients.length - 1, deferred: 0, failed: 0 });
    expect(await reports(recipients[0]!)).toBe(before[recipients[0]!]);
    moveClockForward(121_000);
    expect(await deliverDueReports()).toEqual({ sent: 1, deferred: 0, failed: 0 });
    for (const to of recipients) expect(await reports(to), to).toBe(before[to]! + 1);
  });
});
