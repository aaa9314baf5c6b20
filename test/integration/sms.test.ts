import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { ownStack } from '../support/own-stack';
import {
  CaseDriver,
  complaintBody,
  fileComplaint,
  readMailbox,
  SUBJECTS,
  stack,
  useStackSettingsInProcess,
  WAIT_MS,
} from '../support/stack-client';
import { type Staff, signIn, staffJson } from '../support/staff-client';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE, table } from '../support/table';

/**
 * Texts through the local phone (End User Messaging SMS's stand-in): a caller on the hotline who
 * gives only a mobile number hears everything by text, each with a short link that works; a reply
 * T/TD/STOP stops the texts; a number that is not a mobile's is refused. Texts are sent by the
 * outbox's scheduled sender, which this stack runs every half second.
 */
ownStack({ REDRESS_RECONCILE_EVERY_MS: '500' });

const TRUST_HANDLER = DEFAULT_DESK_CONFIG.teams.trust!.handlers[0]!;
const STAFF = new Set(
  Object.values(DEFAULT_DESK_CONFIG.teams).flatMap((team) => [...team.handlers, team.supervisor, team.manager]),
);

interface Text {
  messageId: string;
  to: string;
  from: string;
  body: string;
  at: number;
  status?: string;
}

async function texts(): Promise<Text[]> {
  return ((await (await fetch(`${stack().phone}/store`)).json()) as { texts: Text[] }).texts;
}

/** The next text to `to` matching `pattern` that `seen` does not hold yet. */
async function nextText(to: string, pattern: RegExp, seen: Set<string>): Promise<Text> {
  const deadline = Date.now() + WAIT_MS;
  let mine: Text[] = [];
  while (Date.now() < deadline) {
    mine = (await texts()).filter((t) => t.to === to);
    const found = mine.find((t) => !seen.has(t.messageId) && pattern.test(t.body));
    if (found) {
      seen.add(found.messageId);
      return found;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no text to ${to} matching ${pattern}; got: ${mine.map((t) => t.body).join(' | ') || 'none'}`);
}

/** The text's one short link, followed: where it leads, and that that page opens. */
async function follow(text: Text): Promise<string> {
  const links = text.body.match(/https?:\/\/\S+\/s\/[0-9A-Za-z]{10}\b/g) ?? [];
  expect(links, text.body).toHaveLength(1);
  const hop = await fetch(links[0]!, { redirect: 'manual' });
  expect(hop.status).toBe(302);
  const target = hop.headers.get('location')!;
  expect((await fetch(target)).status, target).toBe(200);
  return target;
}

async function fileByHotline(staff: Staff, complainant: Record<string, unknown>) {
  const body = complaintBody(1, { channel: 'hotline' });
  body.complainant = { name: '王芳', language: 'zh-CN', ...complainant };
  const response = await fetch(`${stack().api}/staff/complaints`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      cookie: staff.cookie,
      'x-redress-nonce': staff.nonce,
    },
    body: JSON.stringify(body),
  });
  return { response, json: (await response.json()) as any };
}

describe('texts to a complainant who gave only a mobile number', () => {
  let handler: Staff;
  beforeAll(async () => {
    handler = await signIn(TRUST_HANDLER);
  });

  it('runs a hotline complaint to its reply with every message as a text whose short link works, and no email to the complainant', async () => {
    const phone = '+8613800138000';
    const filed = await fileByHotline(handler, { phone: '138 0013 8000' });
    expect(filed.response.status, JSON.stringify(filed.json)).toBe(201);
    const view = (await staffJson(`/staff/complaints/${filed.json.id}`, handler.cookie)).json;
    expect(view.complaint.complainant).toMatchObject({ phone, contactBy: 'sms' });
    expect(view.complaint.complainant.email).toBeUndefined();
    const seen = new Set<string>();

    const acknowledgement = await nextText(phone, /已收到您的投诉/, seen);
    expect(acknowledgement.body).toContain(filed.json.number);
    expect(acknowledgement.from).toBe('REDRESS-LOCAL');
    const trackingUrl = await follow(acknowledgement);
    expect(trackingUrl).toContain(`/complaints/${filed.json.id}?token=`);

    const c = new CaseDriver(filed.json.number, trackingUrl, '');
    const acceptance = await c.taskLink(SUBJECTS.acceptance);
    expect((await c.act(acceptance.url, { decision: 'accept' })).response.status).toBe(200);
    const accepted = await nextText(phone, /已受理/, seen);
    expect(await follow(accepted)).toBe(trackingUrl);

    const investigation = await c.taskLink(SUBJECTS.investigation);
    const findings = {
      decision: 'record-findings',
      findings: '已核实：账号被异地登录。',
      actions: ['privacy-measures'],
    };
    expect((await c.act(investigation.url, findings)).response.status).toBe(200);
    const reply = await c.taskLink(SUBJECTS.reply);
    const answer = {
      reply: '已冻结异地设备并恢复您的账号。',
      grounds: '《用户协议》第5条',
      followUp: '请开启双重验证。',
    };
    const replied = await c.act(reply.url, answer);
    expect(replied.response.status, replied.text.slice(0, 500)).toBe(200);

    // The reply's text links to the survey, which shows the reply and takes the rating.
    const answered = await nextText(phone, /已答复/, seen);
    const survey = await follow(answered);
    expect(survey).toContain('/tasks/');
    expect(await (await fetch(survey)).text()).toContain('已冻结异地设备并恢复您的账号。');
    expect((await c.act(survey, { rating: '5' })).response.status).toBe(200);
    expect(await c.status((x) => x.status === 'closed')).toMatchObject({ outcome: 'resolved', satisfaction: 5 });

    // Every mail about the case went to staff; the complainant heard only by text.
    const mails = (await readMailbox()).filter((e) => e.subject.includes(`[${filed.json.number}]`));
    expect(mails.flatMap((e) => e.destination.to).every((to) => STAFF.has(to))).toBe(true);
    expect((await texts()).filter((t) => t.to === phone)).toHaveLength(3);
    // The phone page lists the texts too.
    expect(await (await fetch(`${stack().phone}/`)).text()).toContain(filed.json.number);
  });

  it('stops texting a number that replied TD, and records on the case that a text was withheld', async () => {
    const phone = '+8613900139000';
    const filed = await fileByHotline(handler, { phone });
    expect(filed.response.status).toBe(201);
    const seen = new Set<string>();
    const acknowledgement = await nextText(phone, /已收到您的投诉/, seen);
    const trackingUrl = await follow(acknowledgement);

    const optOut = await fetch(`${stack().phone}/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: phone, body: 'TD' }),
    });
    expect(await optOut.json()).toEqual({ outcome: 'opted-out', keyword: 'TD' });

    const c = new CaseDriver(filed.json.number, trackingUrl, '');
    const acceptance = await c.taskLink(SUBJECTS.acceptance);
    expect((await c.act(acceptance.url, { decision: 'accept' })).response.status).toBe(200);
    const deadline = Date.now() + WAIT_MS;
    let events: any[] = [];
    while (Date.now() < deadline && !events.some((e) => e.action === 'text.withheld')) {
      events = (await staffJson(`/staff/complaints/${filed.json.id}`, handler.cookie)).json.events;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(events.find((e) => e.action === 'text.withheld')?.details).toEqual({
      purpose: 'decision.accepted',
      why: 'opted-out',
    });
    expect((await texts()).filter((t) => t.to === phone)).toHaveLength(1);
  });

  it('records each text’s delivery events on its item, and a text that failed for good as not delivered on its case', async () => {
    /** The text's item once its final delivery event is recorded. */
    const finalItem = async (complaintId: string, messageId: string) => {
      const deadline = Date.now() + WAIT_MS;
      let item: Record<string, any> | undefined;
      while (Date.now() < deadline) {
        item = (
          await table().send(
            new GetCommand({
              TableName: TABLE,
              Key: { pk: `COMPLAINT#${complaintId}`, sk: `TEXT#${messageId}` },
              ConsistentRead: true,
            }),
          )
        ).Item;
        if (item?.final) return item;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no final delivery event recorded for text ${messageId}: ${JSON.stringify(item)}`);
    };

    // A number the stand-in cannot reach (its last four digits 0404): the carrier reports it failed for good.
    const unreachable = '+8613900000404';
    const lost = await fileByHotline(handler, { phone: unreachable });
    expect(lost.response.status, JSON.stringify(lost.json)).toBe(201);
    const lostText = await nextText(unreachable, /已收到您的投诉/, new Set());
    expect(await finalItem(lost.json.id, lostText.messageId)).toMatchObject({
      status: 'failed',
      eventType: 'TEXT_CARRIER_UNREACHABLE',
      template: 'acknowledgement',
      final: true,
    });
    const history = (await staffJson(`/staff/complaints/${lost.json.id}`, handler.cookie)).json.events as any[];
    expect(history.filter((e) => e.action === 'text.undelivered').map((e) => e.details)).toEqual([
      { purpose: 'acknowledgement', channel: 'sms', why: 'failed', error: 'TEXT_CARRIER_UNREACHABLE' },
    ]);
    // The same final event again (SNS delivers at least once), or a late earlier one, changes nothing.
    useStackSettingsInProcess();
    const { recordTextEvent } = await import('../../functions/app/record-mail-event');
    const context = { complaintId: lost.json.id, template: 'acknowledgement' };
    for (const [eventType, isFinal] of [
      ['TEXT_CARRIER_UNREACHABLE', true],
      ['TEXT_PENDING', false],
    ] as const)
      expect(
        await recordTextEvent({
          eventType,
          isFinal,
          eventTimestamp: Date.now(),
          messageId: lostText.messageId,
          context,
        }),
      ).toEqual({ outcome: 'ignored', why: 'already-final-or-case-gone' });
    const again = (await staffJson(`/staff/complaints/${lost.json.id}`, handler.cookie)).json.events as any[];
    expect(again.filter((e) => e.action === 'text.undelivered')).toHaveLength(1);
    const page = await (await fetch(`${stack().phone}/`)).text();
    expect(page).toContain('CARRIER_UNREACHABLE');
    expect((await texts()).find((t) => t.messageId === lostText.messageId)?.status).toBe('CARRIER_UNREACHABLE');
    const casePage = await fetch(`${stack().api}/staff/complaints/${lost.json.id}?lang=en`, {
      headers: { cookie: handler.cookie },
    });
    expect(await casePage.text()).toContain('A text could not be delivered');

    // A number that is reached: delivered, and nothing on the case.
    const reached = '+8613700137000';
    const kept = await fileByHotline(handler, { phone: reached });
    expect(kept.response.status).toBe(201);
    const keptText = await nextText(reached, /已收到您的投诉/, new Set());
    expect(await finalItem(kept.json.id, keptText.messageId)).toMatchObject({
      status: 'delivered',
      eventType: 'TEXT_DELIVERED',
    });
    expect((await texts()).find((t) => t.messageId === keptText.messageId)?.status).toBe('DELIVERED');
    const keptHistory = (await staffJson(`/staff/complaints/${kept.json.id}`, handler.cookie)).json.events as any[];
    expect(keptHistory.some((e) => e.action === 'text.undelivered')).toBe(false);
  });

  it('refuses a number that is no mobile number, naming the field, and a hotline complaint with no way to reach the caller', async () => {
    for (const [phone, why] of [
      ['12345', /not a valid mobile number/],
      ['010-12345678', /not a mobile number/],
    ] as const) {
      const body = complaintBody(1);
      body.complainant = { ...body.complainant, phone, language: 'en' };
      const { response, json } = await fileComplaint(body);
      expect(response.status).toBe(400);
      expect(json.errors).toEqual([{ path: 'complainant.phone', message: expect.stringMatching(why) }]);
    }
    const smsWithoutPhone = complaintBody(1);
    smsWithoutPhone.complainant = { ...smsWithoutPhone.complainant, phone: undefined, contactBy: 'sms' };
    const refused = await fileComplaint(smsWithoutPhone);
    expect(refused.response.status).toBe(400);
    expect(refused.json.errors.map((e: any) => e.path)).toEqual(['complainant.phone']);

    const nobody = await fileByHotline(handler, {});
    expect(nobody.response.status).toBe(400);
    expect(nobody.json.errors.map((e: any) => e.path)).toEqual(['complainant.email']);
    const fixedLine = await fileByHotline(handler, { phone: '010-12345678' });
    expect(fixedLine.response.status).toBe(400);
    expect(fixedLine.json.errors.map((e: any) => e.path)).toEqual(['complainant.phone']);
  });
});
