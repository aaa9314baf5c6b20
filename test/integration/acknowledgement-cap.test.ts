import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { ownStack } from '../support/own-stack';
import {
  CaseDriver,
  emailsTo,
  moveClockToWindowStart,
  stack,
  SUBJECTS,
  track,
  waitForEmail,
  WAIT_MS,
} from '../support/stack-client';
import { eventsOf } from '../support/table';

/**
 * Anyone can type an address into the form: acknowledgements to addresses that have not shown
 * they are real are capped per clock hour (here 2), so a flood of made-up addresses cannot push
 * the desk's bounce rate up until SES pauses it. The complaints themselves are handled as usual.
 */
const CAP = 2;
const configDir = mkdtempSync(path.join(os.tmpdir(), 'redress-ack-cap-'));
const configFile = path.join(configDir, 'redress.config.json');
writeFileSync(
  configFile,
  JSON.stringify({
    mailFrom: 'complaints@redress.test',
    desk: { ...DEFAULT_DESK_CONFIG, intake: { ...DEFAULT_DESK_CONFIG.intake, newAddressAcknowledgementsPerHour: CAP } },
  }),
);
ownStack({ REDRESS_CONFIG_FILE: configFile });
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

const acknowledgement = /我们已收到您的投诉|We have received your complaint|received your complaint/;
const historyOf = async (c: CaseDriver) =>
  (await track(c.trackingUrl)).json as { id: string; history: { action: string }[] };
async function assigned(c: CaseDriver): Promise<string> {
  await c.taskLink(SUBJECTS.acceptance);
  return (await historyOf(c)).id;
}

describe('acknowledgements to addresses nobody has shown are real', () => {
  it(`stop after ${CAP} in an hour; those cases are handled as usual, and an address that wrote in is acknowledged again`, async () => {
    // Start at the top of an hour of the local clock, so the test's filings share one window.
    await moveClockToWindowStart(3600);

    const within = [await CaseDriver.file(1), await CaseDriver.file(2)];
    for (const c of within) await waitForEmail(c.complainantEmail, acknowledgement);

    const beyond = await CaseDriver.file(3);
    const beyondId = await assigned(beyond);
    expect((await eventsOf(beyondId)).map((e) => e.action)).toContain('acknowledgement.withheld');
    expect(await emailsTo(beyond.complainantEmail), 'no acknowledgement beyond the cap').toEqual([]);
    expect(
      (await historyOf(beyond)).history.map((h) => h.action),
      'the complainant’s own history does not show the staff note',
    ).not.toContain('acknowledgement.withheld');

    // The first complainant replies to their acknowledgement (to the case's reply address, which
    // only their mailbox got): the address is real now.
    const [first] = within;
    const ack = await waitForEmail(first!.complainantEmail, acknowledgement);
    const replyTo = ([] as string[]).concat((ack as unknown as { replyTo?: string | string[] }).replyTo ?? [])[0]!;
    const [host, port] = stack().inboundSmtp.split(':');
    const smtp = nodemailer.createTransport({ host: host!, port: Number(port), secure: false, ignoreTLS: true });
    try {
      await smtp.sendMail({
        from: first!.complainantEmail,
        to: replyTo,
        subject: `Re: ${ack.subject}`,
        text: '补充一下：问题仍然存在。',
      });
    } finally {
      smtp.close();
    }
    const again = await CaseDriver.file(4, { complainant: { email: first!.complainantEmail } });
    await expect
      .poll(
        async () =>
          (await emailsTo(first!.complainantEmail)).filter(
            (e) => e.subject.includes(`[${again.number}]`) && acknowledgement.test(e.subject),
          ).length,
        { timeout: WAIT_MS, interval: 200 },
      )
      .toBe(1);
  });
});
