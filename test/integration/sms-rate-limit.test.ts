import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { runRoot, writeTestConfig } from '../support/local-stack-setup';
import { ownStack } from '../support/own-stack';
import {
  complaintBody,
  fileComplaint,
  moveClock,
  moveClockToWindowStart,
  stack,
  WAIT_MS,
} from '../support/stack-client';
import { queuedMailOf } from '../support/table';

/**
 * The per-number limit on texts (desk.sms.perNumberPerHour, here 1): a second text to the same
 * number within the clock hour waits in the outbox, and goes once the hour has passed (the test
 * moves the stack's clock; the outbox's sender runs every half second).
 */
const configFile = writeTestConfig(mkdtempSync(path.join(runRoot(), 'redress-sms-limit-')), {
  ...DEFAULT_DESK_CONFIG,
  sms: { ...DEFAULT_DESK_CONFIG.sms, perNumberPerHour: 1 },
});
ownStack({ REDRESS_CONFIG_FILE: configFile, REDRESS_RECONCILE_EVERY_MS: '500' });

const textsTo = async (to: string) =>
  ((await (await fetch(`${stack().phone}/store`)).json()) as { texts: { to: string; body: string }[] }).texts.filter(
    (t) => t.to === to,
  );

async function until<T>(what: string, read: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let value = await read();
  while (!holds(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  if (!holds(value)) throw new Error(`${what}: last ${JSON.stringify(value)}`);
  return value;
}

describe('texts to one number', () => {
  it('are held to the hourly limit: the second waits in the outbox and goes in the next hour', async () => {
    const phone = '+8613700137000';
    const file = async (index: number) => {
      const body = complaintBody(index);
      body.complainant = { ...body.complainant, phone, contactBy: 'sms', language: 'en' };
      const { response, json } = await fileComplaint(body);
      expect(response.status, JSON.stringify(json)).toBe(201);
      return json as { id: string; number: string };
    };
    // Start at the top of an hour of the local clock, so both texts fall in one window.
    await moveClockToWindowStart(3600);
    const first = await file(1);
    await until(
      'the first acknowledgement',
      () => textsTo(phone),
      (texts) => texts.length === 1,
    );
    const second = await file(2);
    const waiting = await until(
      'the second acknowledgement held back',
      () => queuedMailOf(second.id),
      (items) => items.some((item) => item.channel === 'sms' && item.lastError === 'TextRateLimited'),
    );
    // The text held is the acknowledgement (the case's other notices go by email, and may still be on their way).
    expect(waiting.filter((item) => item.channel === 'sms').map((item) => item.purpose)).toEqual(['acknowledgement']);
    expect((await textsTo(phone)).map((t) => t.body)).toEqual([expect.stringContaining(first.number)]);

    await moveClock(3600);
    const texts = await until(
      'the second acknowledgement',
      () => textsTo(phone),
      (t) => t.length === 2,
    );
    expect(texts[1]!.body).toContain(second.number);
    // The sender removes the item once the text is sent: a moment after the phone has it.
    await until(
      'the outbox emptied',
      () => queuedMailOf(second.id),
      (items) => items.length === 0,
    );
  });
});
