import { inject } from 'vitest';
import { watchApi } from './api-contract';
import { fixtures } from './fixtures';
import type { StackUrls } from './local-stack-setup';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';

/**
 * How long a helper waits for something that will happen (an email, a status): only a guard
 * against a hang, never a deadline a test must beat, so it is long.
 */
export const WAIT_MS = 120_000;

let ownUrls: StackUrls | undefined;

/** Helpers that drive the local stack as a user would: HTTP in, email out. */
export const stack = (): StackUrls => ownUrls ?? inject('stack');

/** Points every helper of this test file at another stack (one the file started for itself). */
export function useStack(urls: StackUrls): void {
  ownUrls = urls;
  watchApi(urls.api);
}

/**
 * Moves the stack's clock forward by `seconds` of the desk's time: every deadline it passes
 * fires at once, and the handlers judge times by the moved clock. Only a stack of the test file's
 * own may be moved (`ownStack`), or the shared stack's other tests would see time jump.
 */
export async function moveClock(seconds: number, thenRun?: string[]): Promise<Date> {
  if (!ownUrls) throw new Error("moveClock needs a stack of this test file's own: call ownStack() in the file first");
  const response = await fetch(ownUrls.clock, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ forwardSeconds: seconds, ...(thenRun ? { thenRun } : {}) }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`moving the clock answered ${response.status}: ${text}`);
  return new Date((JSON.parse(text) as { now: string }).now);
}

/** The time on this file's stack's clock (the desk's time, moved or not). */
export async function stackNow(): Promise<Date> {
  const response = await fetch(stack().clock);
  return new Date(((await response.json()) as { now: string }).now);
}

/**
 * Moves the clock to a few seconds after the next start of a fixed window of `windowSeconds`
 * (windows counted from the epoch, as the limits count them: 3600 is the top of the next hour),
 * so what a test counts inside one window is never split between two by the real time it takes.
 */
export async function moveClockToWindowStart(windowSeconds: number): Promise<Date> {
  const intoWindow = ((await stackNow()).getTime() / 1000) % windowSeconds;
  return moveClock(windowSeconds - intoWindow + 5);
}

/** Fails, saying what came back, unless the response has this status. */
export function expectStatus<T extends { response: Response; json?: unknown; text?: string }>(
  result: T,
  status: number,
  what = 'request',
): T {
  if (result.response.status !== status)
    throw new Error(
      `${what} answered ${result.response.status}, expected ${status}: ${JSON.stringify(result.json ?? result.text)}`.slice(
        0,
        2000,
      ),
    );
  return result;
}

export interface Email {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text: string; html: string };
  /** The headers of our own the mail was sent with (SES v2's Content.Simple.Headers), as the local mailbox keeps them. */
  headers?: { name: string; value: string }[];
  at: number;
}

/** A header of an email as sent (case-insensitive name), or undefined. */
export function headerOf(email: Email, name: string): string | undefined {
  return email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

/**
 * Overrides that make fixture 0 (inappropriate content) a complaint that must wait for an upload:
 * about a user's private messages, which only a screenshot shows (a post's link alone would do).
 */
export const NEEDS_SCREENSHOT = { subject: { type: 'user', ref: 'uid-20931', name: '发帖人（站内信）' } };

let counter = 0;
/** A fixture's body with a complainant email unique to this test, so mailbox reads do not collide. */
export function complaintBody(index = 0, overrides: Record<string, any> = {}): Record<string, any> {
  const base = structuredClone(fixtures[index]!.body);
  const unique = `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  base.complainant.email = `c-${unique}@example.com`;
  return { ...base, ...overrides, complainant: { ...base.complainant, ...(overrides.complainant ?? {}) } };
}

export async function fileComplaint(body: unknown, headers: Record<string, string> = {}, api = stack().api) {
  const response = await fetch(`${api}/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { response, json: (await response.json()) as any };
}

/**
 * When this test file began (epoch seconds, a second early): every email it waits for or checks
 * was sent after that, so its reads of a mailbox ask only for those (`/store?since=`), not for the
 * whole run's mail on the shared stack, which every read would otherwise serialise and parse again.
 */
const FILE_STARTED = Math.floor(Date.now() / 1000) - 1;

export async function readMailbox(mailbox = stack().mailbox): Promise<Email[]> {
  const response = await fetch(`${mailbox}/store?since=${FILE_STARTED}`);
  return ((await response.json()) as { emails: Email[] }).emails;
}

/** Waits for an email to `to` whose subject matches; fails with what did arrive. */
export async function waitForEmail(to: string, subject: RegExp, timeoutMs = WAIT_MS): Promise<Email> {
  const deadline = Date.now() + timeoutMs;
  let seen: Email[] = [];
  while (Date.now() < deadline) {
    seen = (await readMailbox()).filter((email) => email.destination.to.includes(to));
    const found = seen.find((email) => subject.test(email.subject));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `no email to ${to} matching ${subject} in ${timeoutMs} ms; got: ${seen.map((e) => e.subject).join(' | ') || 'none'}`,
  );
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
export async function waitForTaskEmail(number: string, timeoutMs = WAIT_MS): Promise<Email> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await readMailbox()).find(
      (email) => email.subject.startsWith(`[${number}]`) && /To do/.test(email.subject),
    );
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
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { response, text: await response.text() };
}

export async function track(trackingUrl: string) {
  const response = await fetch(trackingUrl, { headers: { accept: 'application/json' } });
  return { response, json: (await response.json()) as any };
}

/** Polls the tracking JSON until `predicate` holds. */
export async function waitForStatus(
  trackingUrl: string,
  predicate: (complaint: any) => boolean,
  timeoutMs = WAIT_MS,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await track(trackingUrl)).json;
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`status condition not met in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/**
 * Follows one complaint through its emails as the people in it would: waits for the next email
 * about it (by number) that matches, opens the link in it, and posts the page's form.
 */
export class CaseDriver {
  private readonly seen = new Set<string>();

  constructor(
    readonly number: string,
    readonly trackingUrl: string,
    readonly complainantEmail: string,
    /** The stack it talks to: the shared test stack unless a test runs its own. */
    public endpoints: { api: string; mailbox: string } = { api: stack().api, mailbox: stack().mailbox },
  ) {}

  static async file(
    index = 0,
    overrides: Record<string, any> = {},
    endpoints = { api: stack().api, mailbox: stack().mailbox },
  ): Promise<CaseDriver> {
    const body = complaintBody(index, overrides);
    const { response, json } = await fileComplaint(body, {}, endpoints.api);
    if (response.status !== 201) throw new Error(`filing failed: ${response.status} ${JSON.stringify(json)}`);
    return new CaseDriver(json.number, json.trackingUrl, body.complainant.email, endpoints);
  }

  /** The next email about this complaint whose subject matches (and recipient, if given). */
  async email(subject: RegExp, to?: string, timeoutMs = WAIT_MS): Promise<Email> {
    const deadline = Date.now() + timeoutMs;
    let mine: Email[] = [];
    while (Date.now() < deadline) {
      mine = (await readMailbox(this.endpoints.mailbox)).filter((e) => e.subject.includes(`[${this.number}]`));
      const found = mine.find(
        (e) => !this.seen.has(e.messageId) && subject.test(e.subject) && (!to || e.destination.to.includes(to)),
      );
      if (found) {
        this.seen.add(found.messageId);
        return found;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `no new email for ${this.number} matching ${subject}${to ? ` to ${to}` : ''} in ${timeoutMs} ms; got: ${mine.map((e) => `${e.destination.to} «${e.subject}»`).join(' | ')}`,
    );
  }

  /** The task link in the next matching email. */
  async taskLink(subject: RegExp, to?: string): Promise<{ url: string; email: Email }> {
    const email = await this.email(subject, to);
    return { url: linkIn(email, '/tasks/'), email };
  }

  /** Opens the link, then posts its form with these fields (and the page's nonce). */
  async act(url: string, fields: Record<string, string | string[]>) {
    const page = await fetch(url);
    const text = await page.text();
    if (page.status !== 200)
      throw new Error(
        `task page ${url} answered ${page.status}: ${text
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 400)}`,
      );
    return postFields(url, { nonce: nonceOf(text), ...fields });
  }

  async status(predicate: (c: any) => boolean, timeoutMs = WAIT_MS) {
    return waitForStatus(this.trackingUrl, predicate, timeoutMs);
  }
}

/** Posts a url-encoded form; an array value becomes a repeated field (checkboxes). */
export async function postFields(url: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { response, text: await response.text() };
}

export const SUBJECTS = {
  acceptance: /To do: Acceptance review/,
  investigation: /To do: Investigation/,
  reply: /To do: Reply/,
  review: /To do: Review/,
  information: /请补充信息|more information/,
  evidence: /请补充证据|add evidence/,
  statement: /作出说明|Your statement/,
  outcome: /投诉处理结果|outcome of your complaint/,
};

/**
 * Points this test process at the shared stack the way `npm start` points its handlers, so a
 * test can call a handler or store module directly (what AWS would invoke but the local stack
 * never does, such as a TTL expiry).
 */
export function useStackSettingsInProcess(): void {
  Object.assign(process.env, {
    TABLE_NAME: 'Complaints',
    EVIDENCE_BUCKET: 'redress-evidence',
    STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplaintHandling',
    PUBLIC_BASE_URL: stack().api,
    MAIL_FROM: 'complaints@redress.local',
    // The shared stack's desk, as npm start hands it to its handlers (validated, email in on).
    REDRESS_CONFIG: JSON.stringify({
      ...DEFAULT_DESK_CONFIG,
      inbound: { ...DEFAULT_DESK_CONFIG.inbound, enabled: true },
    }),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_S3: stack().s3,
    AWS_ENDPOINT_URL_DYNAMODB: stack().dynamodb,
    AWS_ENDPOINT_URL_SFN: stack().stepFunctions,
    AWS_ENDPOINT_URL_SES: stack().mailbox,
    AWS_ENDPOINT_URL_SESV2: stack().mailbox,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  });
}
