import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { SIGN_IN_LIMITS } from '../../functions/domain/staff';
import { ownStack } from '../support/own-stack';
import { emailsTo, linkIn, moveClockToWindowStart, nonceOf, stack, WAIT_MS } from '../support/stack-client';
import { scanAll } from '../support/table';
import { askForSignIn } from '../support/staff-client';

/**
 * Nobody can stop a staff member from signing in by knowing their address: the answer to a
 * sign-in request is the same for everyone and never a per-address 429. What is limited per
 * address is how many mails go out (the newest link works); what is limited per client (source
 * IP) is the client. A stack of its own, so its counters touch no other test's sign-ins.
 */
ownStack({ REDRESS_RECONCILE_EVERY_MS: '1000' });

// The limits count per fixed window of the desk's clock: the file starts just after a window
// opens, so no test's requests are split between two windows by the real time they take.
beforeAll(() => moveClockToWindowStart(SIGN_IN_LIMITS.windowSeconds));

const MANAGER = DEFAULT_DESK_CONFIG.teams.trust!.manager;

/** A sign-in request from another client on this machine: its own source address on the loopback. */
function askFrom(localAddress: string, email: string): Promise<{ status: number; body: string }> {
  const url = new URL(`${stack().api}/staff/sign-in?lang=en`);
  const payload = new URLSearchParams({ email }).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Sign-in mails still waiting in the outbox (each request queues its mail; the scheduled sender sends it). */
const queuedSignInMail = async () =>
  (await scanAll()).filter((item) => String(item.sk).startsWith('OUTBOX#') && item.mailDue !== undefined).length;

const signInMails = async (to: string) =>
  (await emailsTo(to)).filter((e) => /Sign-in link/.test(e.subject)).sort((a, b) => a.at - b.at);

describe('staff sign-in under an attacker who knows a staff address', () => {
  it('never answers a per-address 429: after a stranger’s flood the manager’s own request is answered as any other, and the newest mailed link signs in', async () => {
    const attacker = '127.0.0.2';
    const floods = SIGN_IN_LIMITS.perAddress + 3;
    const answers = [];
    for (let i = 0; i < floods; i++) answers.push(await askFrom(attacker, MANAGER));
    const outsider = await askFrom('127.0.0.3', `nobody-${Date.now().toString(36)}@example.com`);
    expect(answers.map((a) => a.status)).toEqual(Array(floods).fill(200));
    for (const answer of answers) expect(answer.body).toBe(outsider.body);

    // The manager, from their own client, is answered as anyone is.
    const own = await askForSignIn(MANAGER);
    expect(own.response.status).toBe(200);
    expect(own.text).toBe(outsider.body);

    // Mail to the address is what is limited: once the outbox has sent what was queued, no more
    // than the per-address allowance went out.
    const deadline = Date.now() + WAIT_MS;
    while ((await queuedSignInMail()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await queuedSignInMail()).toBe(0);
    const mails = await signInMails(MANAGER);
    expect(mails).toHaveLength(SIGN_IN_LIMITS.perAddress);

    // The newest link in the manager's mailbox signs them in.
    const link = linkIn(mails.at(-1)!, '/staff/sign-in/');
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const posted = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ nonce: nonceOf(await page.text()) }).toString(),
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('set-cookie')).toMatch(/HttpOnly/);
  });

  it('limits the flooding client itself: past its allowance that client gets 429, and other clients are still answered', async () => {
    const attacker = '127.0.0.4';
    const statuses: number[] = [];
    for (let i = 0; i <= SIGN_IN_LIMITS.perClient; i++)
      statuses.push((await askFrom(attacker, `flood-${i}-${Date.now().toString(36)}@example.com`)).status);
    expect(statuses.slice(0, SIGN_IN_LIMITS.perClient)).toEqual(Array(SIGN_IN_LIMITS.perClient).fill(200));
    expect(statuses.at(-1)).toBe(429);
    expect((await askFrom('127.0.0.5', MANAGER)).status).toBe(200);
  });
});
