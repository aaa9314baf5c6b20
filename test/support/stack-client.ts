import { inject } from 'vitest';
import { fixtures } from './fixtures';

/** Helpers that drive the local stack as a user would: HTTP in, email out. */
export const stack = () => inject('stack');

export interface Email {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text: string; html: string };
  at: number;
}


let counter = 0;
/** A fixture's body with a complainant email unique to this test, so mailbox reads do not collide. */
export function complaintBody(index = 0, overrides: Record<string, any> = {}): Record<string, any> {
  const base = structuredClone(fixtures[index]!.body);
  const unique = `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  base.complainant.email = `c-${unique}@example.com`;
  return { ...base, ...overrides, complainant: { ...base.complainant, ...(overrides.complainant ?? {}) } };
}

export async function fileComplaint(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack().api}/complaints`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { response, json: (await response.json()) as any };
}

export async function readMailbox(): Promise<Email[]> {
  const response = await fetch(`${stack().mailbox}/store`);
  return ((await response.json()) as { emails: Email[] }).emails;
}

/** Waits for an email to `to` whose subject matches; fails with what did arrive. */
export async function waitForEmail(to: string, subject: RegExp, timeoutMs = 20_000): Promise<Email> {
  const deadline = Date.now() + timeoutMs;
  let seen: Email[] = [];
  while (Date.now() < deadline) {
    seen = (await readMailbox()).filter((email) => email.destination.to.includes(to));
    const found = seen.find((email) => subject.test(email.subject));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email to ${to} matching ${subject} in ${timeoutMs} ms; got: ${seen.map((e) => e.subject).join(' | ') || 'none'}`);
}

export async function emailsTo(to: string): Promise<Email[]> {
  return (await readMailbox()).filter((email) => email.destination.to.includes(to));
}

/** The first link in an email's text that starts with `prefix` (a path such as /tasks/). */
export function linkIn(email: Email, prefix: string): string {
  const match = new RegExp(`https?://\\S+${prefix.replace(/[/?]/g, '\\$&')}\\S*`).exec(email.body.text);
  if (!match) throw new Error(`no ${prefix} link in email "${email.subject}":\n${email.body.text}`);
  return match[0];
}

/** The task email for a complaint number, sent to whichever handler was assigned. */
export async function waitForTaskEmail(number: string, timeoutMs = 20_000): Promise<Email> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await readMailbox()).find((email) => email.subject.startsWith(`[${number}]`) && /To do/.test(email.subject));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no task email for ${number} in ${timeoutMs} ms`);
}

export function nonceOf(page: string): string {
  const match = /name="nonce" value="([^"]+)"/.exec(page);
  if (!match) throw new Error('no nonce on the page');
  return match[1]!;
}

export async function postForm(url: string, fields: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  return { response, text: await response.text() };
}

export async function track(trackingUrl: string) {
  const response = await fetch(trackingUrl, { headers: { accept: 'application/json' } });
  return { response, json: (await response.json()) as any };
}

/** Polls the tracking JSON until `predicate` holds. */
export async function waitForStatus(trackingUrl: string, predicate: (complaint: any) => boolean, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await track(trackingUrl)).json;
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`status condition not met in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}
