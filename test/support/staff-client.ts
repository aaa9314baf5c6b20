import http from 'node:http';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { emailsTo, expectStatus, linkIn, nonceOf, stack, WAIT_MS, type Email } from './stack-client';

/** Drives the staff desk as a person does: sign-in by the emailed link, then the desk's pages and JSON. */

/** The next email to `to` that was not there before `before` was read. */
export async function nextEmail(to: string, subject: RegExp, before: Set<string>): Promise<Email> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const found = (await emailsTo(to)).find((e) => !before.has(e.messageId) && subject.test(e.subject));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no new email to ${to} matching ${subject}`);
}

/**
 * Signs in in a browser from the emailed link, as a person does: opens each sign-in mail to
 * `email` that came after `before`, oldest first, and presses the page's button (`press`) until
 * one opens the queue. Another test file signing the same address in at the same moment gets a
 * mail just like it and may use this link first: the link then answers 410, and the next new
 * link is this one's. `onLinkPage` looks at a link's page before the press.
 */
export async function signInInBrowser(
  page: Page,
  email: string,
  before: Set<string>,
  press: () => Promise<void>,
  onLinkPage: (link: string) => Promise<void> = async () => undefined,
): Promise<void> {
  for (let tries = 0; tries < 5; tries++) {
    const mail = await nextEmail(email, /Sign-in link/, before);
    before.add(mail.messageId);
    const link = linkIn(mail, '/staff/sign-in/');
    if ((await page.goto(link))?.status() === 410) continue;
    await onLinkPage(link);
    const path = new URL(link).pathname;
    const [answer] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'POST'),
      press(),
    ]);
    if (answer.status() === 410) continue;
    await page.waitForURL(/\/staff\/queue/);
    return;
  }
  throw new Error(`none of 5 sign-in links to ${email} signed in`);
}

/**
 * Asks for a sign-in link, from `from` (a loopback address: 127.x.y.z) when given. The desk limits
 * sign-in requests per client address; the shared stack serves the whole run's sign-ins, which
 * come from as many staff machines as tests, not from one.
 */
export async function askForSignIn(email: string, lang = 'en', from?: string) {
  const url = `${stack().api}/staff/sign-in?lang=${lang}`;
  const body = new URLSearchParams({ email }).toString();
  if (!from) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });
    return { response, text: await response.text() };
  }
  const { status, headers, text } = await new Promise<{ status: number; headers: Headers; text: string }>(
    (resolve, reject) => {
      const request = http.request(
        url,
        { method: 'POST', localAddress: from, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    },
  );
  return { response: new Response(text || null, { status, headers }), text };
}

/** A loopback address of its own for one sign-in: a staff member's machine. */
const someMachine = () =>
  `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

export interface Staff {
  email: string;
  cookie: string;
  nonce: string;
}

/** Signs in as a staff member the way a person does: asks, opens the emailed link, presses the button. */
export async function signIn(email: string): Promise<Staff> {
  const before = new Set((await emailsTo(email)).map((e) => e.messageId));
  expectStatus(await askForSignIn(email, 'en', someMachine()), 200, 'sign-in request');
  // Another test file may sign the same address in at the same moment and use our link first
  // (it cannot tell the two mails apart): then the next new link is ours.
  let link = '';
  let text = '';
  let posted: Response | undefined;
  for (let tries = 0; tries < 5; tries++) {
    const mail = await nextEmail(email, /Sign-in link/, before);
    before.add(mail.messageId);
    link = linkIn(mail, '/staff/sign-in/');
    const page = await fetch(link);
    text = await page.text();
    if (page.status === 410) continue;
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    posted = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ nonce: nonceOf(text) }).toString(),
      redirect: 'manual',
    });
    if (posted.status !== 410) break;
  }
  expect(posted?.status).toBe(303);
  expect(posted!.headers.get('location')).toMatch(/\/staff\/queue/);
  const setCookie = posted!.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Strict/);
  expect(setCookie).toMatch(/Path=\/staff/);
  expect(setCookie).toMatch(/Max-Age=43200/);
  const cookie = setCookie.split(';')[0]!;
  // Used once: the same link signs nobody in again.
  const again = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ nonce: nonceOf(text) }).toString(),
    redirect: 'manual',
  });
  expect(again.status).toBe(410);
  const queue = expectStatus(await staffJson('/staff/queue', cookie), 200, 'queue after sign-in').json;
  expect(queue.me.email).toBe(email);
  return { email, cookie, nonce: queue.nonce };
}

export async function staffJson(path: string, cookie?: string) {
  const response = await fetch(`${stack().api}${path}`, {
    headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) },
    redirect: 'manual',
  });
  const text = await response.text();
  return { response, text, json: text ? (JSON.parse(text) as any) : undefined };
}

export async function staffPost(path: string, staff: Staff, fields: Record<string, string>, accept = 'text/html') {
  const response = await fetch(`${stack().api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: staff.cookie, accept },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { response, text: await response.text() };
}

/** A staff JSON POST, with the session's cookie and nonce, as the desk's own scripts send one. */
export async function staffPostJson(staff: Staff, path: string, body: Record<string, unknown>) {
  const response = await fetch(`${stack().api}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      cookie: staff.cookie,
      'x-redress-nonce': staff.nonce,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { response, text, json: text ? (JSON.parse(text) as any) : undefined };
}

/** Pages through a queue until the complaint shows up (the shared stack holds other tests' work). */
export async function findInQueue(staff: Staff, number: string, query = ''): Promise<any | undefined> {
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const { json } = expectStatus(
      await staffJson(`/staff/queue?limit=20${query}${cursor ? `&cursor=${cursor}` : ''}`, staff.cookie),
      200,
      'queue',
    );
    const found = json.items.find((item: any) => item.number === number);
    if (found) return found;
    if (!json.nextCursor) return undefined;
    cursor = json.nextCursor;
  }
  return undefined;
}
