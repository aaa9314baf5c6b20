import { describe, expect, it } from 'vitest';
import { UNKNOWN_ADDRESS_RESOURCE } from '../../functions/catalog';
import { handler } from '../../functions/http/form-page';
import type { HttpEvent, HttpResult } from '../../functions/lib/http';
import { vnuErrors } from '../support/html-checks';

/**
 * The API's catch-all (`/{proxy+}`, any method): API Gateway hands it every address no route has,
 * and its function answers as every handler answers a 404 (a gateway response could not).
 */
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

const ask = (headers: Record<string, string>, httpMethod = 'GET', path = '/staff/no-such-page') =>
  handler(
    {
      resource: UNKNOWN_ADDRESS_RESOURCE,
      path,
      httpMethod,
      headers,
      pathParameters: { proxy: path.slice(1) },
      queryStringParameters: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { requestId: 'unknown-address-test' },
    } as unknown as HttpEvent,
    { awsRequestId: 'unknown-address-test', functionName: 'ComplaintForm' } as never,
  ) as Promise<HttpResult>;

describe('an address no route has', () => {
  it('is a 404 page in the reader’s language for a browser, valid HTML, with no script', {
    timeout: 120_000,
  }, async () => {
    const en = await ask({ accept: BROWSER, 'accept-language': 'en' });
    const zh = await ask({ accept: BROWSER, 'accept-language': 'zh-CN,zh;q=0.9' });
    for (const [page, language, words] of [
      [en, 'en', 'No such address'],
      [zh, 'zh-CN', '没有这个地址'],
    ] as const) {
      expect(page.statusCode).toBe(404);
      expect(page.headers!['content-type']).toMatch(/^text\/html/);
      expect(page.headers!['content-language']).toBe(language);
      expect(page.body).toContain(`<html lang="${language}">`);
      expect(page.body).toContain(words);
      expect(page.body).not.toContain('<script');
    }
    expect(
      await vnuErrors([
        { name: 'en', html: en.body },
        { name: 'zh-CN', html: zh.body },
      ]),
    ).toEqual([]);
  });

  it('is problem+json for an API client, whatever the method', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      const answer = await ask({ accept: 'application/json' }, method, '/complaints/x/no-such-thing');
      expect(answer.statusCode, method).toBe(404);
      expect(answer.headers!['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'urn:redress:problem:not-found', status: 404 });
    }
  });
});
