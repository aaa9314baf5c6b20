import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { CaseDriver, stack, track } from '../support/stack-client';
import { signIn } from '../support/staff-client';

/**
 * Errors as a browser and as an API client see them, over HTTP: a browser (Accept: text/html)
 * gets a page in its reader's language, a JSON client problem+json, for the same address.
 */
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const TEAMS = DEFAULT_DESK_CONFIG.teams;

async function get(path: string, headers: Record<string, string>) {
  const response = await fetch(`${stack().api}${path}`, { headers, redirect: 'manual' });
  return { response, text: await response.text() };
}

describe('error pages', () => {
  it('an unknown address: a page in the reader’s language for a browser, problem+json for a JSON client', async () => {
    const en = await get('/no/such/place', { accept: BROWSER, 'accept-language': 'en' });
    expect(en.response.status).toBe(404);
    expect(en.response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Page not found');
    const zh = await get('/no/such/place', { accept: BROWSER, 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(zh.response.status).toBe(404);
    expect(zh.text).toContain('找不到页面');
    const api = await get('/no/such/place', { accept: 'application/json' });
    expect(api.response.status).toBe(404);
    expect(api.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(api.text)).toMatchObject({ type: 'urn:redress:problem:not-found', status: 404 });
  });

  it('an address under a route’s prefix, in any method, is the catch-all’s 404 (as API Gateway’s `/{proxy+}`)', async () => {
    const page = await get('/staff/no-such-page', { accept: BROWSER, 'accept-language': 'zh-CN' });
    expect(page.response.status).toBe(404);
    expect(page.response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('<html lang="zh-CN">');
    expect(page.text).toContain('没有这个地址');
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(`${stack().api}/complaints/x/no-such-thing`, {
        method,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status, method).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ type: 'urn:redress:problem:not-found', status: 404 });
    }
  });

  it('a tracking link with a wrong token is a 404 page in a browser, problem+json for JSON', async () => {
    const c = await CaseDriver.file(1);
    const url = new URL(c.trackingUrl);
    const wrong = `${url.pathname}?token=${'x'.repeat(43)}&lang=en`;
    const page = await get(wrong, { accept: BROWSER });
    expect(page.response.status).toBe(404);
    expect(page.response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('No complaint at this link');
    const api = await get(wrong, { accept: 'application/json' });
    expect(api.response.status).toBe(404);
    expect(api.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('a handler opening analytics or another team’s case gets a 403 page that names what was refused', async () => {
    const handler = await signIn(TEAMS.trust!.handlers[0]!);
    const analytics = await get('/staff/analytics?lang=en', { accept: BROWSER, cookie: handler.cookie });
    expect(analytics.response.status).toBe(403);
    expect(analytics.response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(analytics.text).toContain('Analytics are for supervisors');
    expect(analytics.text).not.toContain('this case');
    const zh = await get('/staff/analytics?lang=zh-CN', { accept: BROWSER, cookie: handler.cookie });
    expect(zh.text).toContain('统计分析仅供主管及以上人员查看');
    const json = await get('/staff/analytics', { accept: 'application/json', cookie: handler.cookie });
    expect(json.response.status).toBe(403);
    expect(json.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(json.text).type).toBe('urn:redress:problem:staff-forbidden');

    // Another team's case (performance: operations), opened by the trust handler.
    const other = await CaseDriver.file(6);
    const id = (await track(other.trackingUrl)).json.id as string;
    const refused = await get(`/staff/complaints/${id}?lang=en`, { accept: BROWSER, cookie: handler.cookie });
    expect(refused.response.status).toBe(403);
    expect(refused.response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.text).toContain('You may not see or act on this case');
  });
});
