import { describe, expect, it } from 'vitest';
import { CaseDriver, emailsTo, linkIn, track, WAIT_MS } from '../support/stack-client';
import { MAX_FORMER_ADDRESSES } from '../../functions/domain/erasure';
import { complaintRecord, eventsOf, setOnComplaint } from '../support/table';

/** Correction (PIPL Art. 46) from the tracking link: a name at once, a new address once confirmed from its own mailbox. */
async function correct(trackingUrl: string, body: Record<string, string>) {
  const url = new URL(trackingUrl);
  const response = await fetch(`${url.origin}${url.pathname}/contact${url.search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { response, json: (await response.json()) as any };
}

async function mailTo(address: string, subject: RegExp) {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const found = (await emailsTo(address)).find((e) => subject.test(e.subject));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${address} matching ${subject}`);
}

describe('correcting contact details', () => {
  it('uses a new address only once it is confirmed from its own mailbox, tells the old one, and records it', async () => {
    const c = await CaseDriver.file(1, { complainant: { language: 'en' } });
    const id = (await track(c.trackingUrl)).json.id as string;
    const newAddress = `moved-${Date.now().toString(36)}@example.net`;

    const bad = await correct(c.trackingUrl, { email: 'not an address' });
    expect(bad.response.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('email');

    const asked = await correct(c.trackingUrl, { email: newAddress, name: 'Li Na (corrected)' });
    expect(asked.response.status, JSON.stringify(asked.json)).toBe(200);
    expect(asked.json).toMatchObject({ pendingEmail: newAddress, name: 'Li Na (corrected)' });
    // Not in use yet: the record still writes to the old address; the name is corrected at once.
    let record = await complaintRecord(id);
    const keyBefore = record!.complainantKey;
    expect(record!.complainant).toMatchObject({ email: c.complainantEmail, name: 'Li Na (corrected)' });
    expect(JSON.stringify(record)).not.toContain('"code"');

    const mail = await mailTo(newAddress, /Confirm your new email address/);
    const link = linkIn(mail, '/complaints/');
    expect(link).toContain('/contact-confirmation?code=');
    // Opening the link changes nothing; a wrong code is refused.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect((await complaintRecord(id))!.complainant.email).toBe(c.complainantEmail);
    const post = (code: string) =>
      fetch(`${new URL(link).origin}${new URL(link).pathname}?lang=en`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ code }).toString(),
      });
    expect((await post('wrong-code')).status).toBe(410);
    const confirmed = await post(new URL(link).searchParams.get('code')!);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('We will write to this address');
    expect((await post(new URL(link).searchParams.get('code')!)).status).toBe(410);

    record = await complaintRecord(id);
    expect(record!.complainant.email).toBe(newAddress);
    expect(record!.pendingEmail).toBeUndefined();
    // The staff search finds the case by its new address.
    expect(record!.complainantKey).not.toBe(keyBefore);
    await mailTo(c.complainantEmail, /Your contact address was changed/);
    const corrected = (await eventsOf(id)).filter((e) => e.action === 'contact.corrected');
    expect(corrected.map((e) => e.details.fields)).toEqual([['name'], ['email']]);
    const history = (await track(c.trackingUrl)).json.history.map((h: any) => h.label);
    expect(history).toContain('You corrected your contact details');
  });

  it('refuses a new address once the case left as many as it records (their keys bound the record), naming why; a name is still corrected', async () => {
    const c = await CaseDriver.file(1, { complainant: { language: 'en' } });
    const id = (await track(c.trackingUrl)).json.id as string;
    // As if the complainant had moved that often (each confirmation records one).
    await setOnComplaint(id, {
      formerAddresses: Array.from({ length: MAX_FORMER_ADDRESSES }, (_, i) => ({ complainantKey: `k${i}` })),
    });
    const refused = await correct(c.trackingUrl, { email: `again-${Date.now().toString(36)}@example.net` });
    expect(refused.response.status).toBe(409);
    expect(refused.response.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.json.type).toBe('urn:redress:problem:too-many-address-changes');
    expect((await complaintRecord(id))!.pendingEmail).toBeUndefined();
    expect((await correct(c.trackingUrl, { name: 'Li Na (renamed)' })).response.status).toBe(200);
  });
});
