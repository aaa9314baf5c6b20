import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, teamFor } from '../../functions/domain/config';
import { CaseDriver, complaintBody, emailsTo, fileComplaint, stack, SUBJECTS, waitForEmail } from '../support/stack-client';

/** What the people using the desk read: errors in their language, times with their zone, links that open. */
describe('what a person reads', () => {
  it('answers malformed JSON in Chinese without the parser’s English', async () => {
    const response = await fetch(`${stack().api}/complaints`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' }, body: '{"channel": "web",' });
    const problem = (await response.json()) as any;
    expect(response.status).toBe(400);
    expect(problem.title).toBe('请求体不是有效的 JSON');
    expect(problem.errors[0].message).toMatch(/^不是有效的 JSON/);
    expect(JSON.stringify(problem)).not.toMatch(/Unexpected|position|Expected/);
  });

  it('says a body is too large the way the gateway does, with the limit as the detail', async () => {
    const response = await fetch(`${stack().api}/complaints`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, body: JSON.stringify({ description: 'x'.repeat(70_000) }) });
    const problem = (await response.json()) as any;
    expect(response.status).toBe(413);
    expect(problem.title).toBe('Request body too large');
    expect(problem.detail).toMatch(/at most \d+ bytes/);
  });

  it('describes the API at /openapi.json, every route included', async () => {
    const response = await fetch(`${stack().api}/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[0].url).toBe(stack().api);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/complaints', '/tasks/{linkId}', '/staff/queue', '/openapi.json']));
  });

  it('gives every page an icon of its own, so no browser asks for a missing /favicon.ico', async () => {
    const page = await (await fetch(`${stack().api}/?lang=en`)).text();
    expect(page).toMatch(/<link rel="icon" href="data:image\/svg\+xml,/);
  });

  it('names the desk’s time zone on every time in mail, opens links in a new window, and never links what a person typed', async () => {
    const body = complaintBody(1, { complainant: { name: 'https://evil.example/login', language: 'en' } });
    const { json } = await fileComplaint(body);
    const ack = await waitForEmail(body.complainant.email, /received your complaint/);
    expect(ack.body.text).toMatch(/\d{2}:\d{2} \(UTC\+8\)/);
    expect(ack.body.html).toContain(`<a href="${json.trackingUrl.replace(/&/g, '&amp;')}" target="_blank" rel="noopener noreferrer">`);
    expect(ack.body.html).not.toContain('href="https://evil.example');
  });
});

describe('evidence a complaint must carry', () => {
  it('takes a post’s link as its evidence: a complaint about a post with its link goes straight to review', async () => {
    const c = await CaseDriver.file(0);
    await c.taskLink(SUBJECTS.acceptance);
    expect((await emailsTo(c.complainantEmail)).filter((e) => SUBJECTS.evidence.test(e.subject))).toEqual([]);
  });
});

describe('a withdrawal', () => {
  it('tells whoever holds the open task that it ended', async () => {
    const c = await CaseDriver.file(6);
    const task = await c.taskLink(SUBJECTS.acceptance);
    const holder = task.email.destination.to[0]!;
    expect(holder).toBe(teamFor(DEFAULT_DESK_CONFIG, 'performance').handlers[0]);
    const url = new URL(c.trackingUrl);
    const response = await fetch(`${url.origin}${url.pathname}/withdrawal${url.search}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'Fixed itself.' }) });
    expect(response.status).toBe(200);
    const notice = await c.email(/投诉人已撤回投诉/, holder);
    expect(notice.body.text).toContain('The complainant withdrew');
  });
});
