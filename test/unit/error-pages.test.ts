import { describe, expect, it } from 'vitest';
import { HttpError, NotFoundError, problem, ServiceUnavailableError, type HttpEvent } from '../../functions/lib/http';

import { StaffForbiddenError, TooManyRequestsError } from '../../functions/lib/problems';
import { StaffSignInRequiredError } from '../../functions/http/shared/staff-auth';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const event = (accept: string, path = '/complaints/x'): HttpEvent =>
  ({ headers: { accept }, path, httpMethod: 'GET', queryStringParameters: null }) as unknown as HttpEvent;

const GONE = new HttpError(410, 'urn:redress:problem:link-gone', { 'zh-CN': '链接已失效', en: 'This link is gone' });
const INTERNAL = new HttpError(500, 'urn:redress:problem:internal-error', {
  'zh-CN': '服务器内部错误',
  en: 'Server error',
});

describe('error answers', () => {
  const cases: [string, HttpError][] = [
    ['401', new StaffSignInRequiredError()],
    ['403', new StaffForbiddenError('analytics')],
    ['404', new NotFoundError()],
    ['410', GONE],
    ['429', new TooManyRequestsError('urn:redress:problem:too-many', { 'zh-CN': '太频繁', en: 'Too many' }, 30)],
    ['500', INTERNAL],
    ['503', new ServiceUnavailableError(5)],
  ];

  it.each(cases)('%s: a browser gets an HTML page in its language, with the same status and headers', (_, error) => {
    for (const language of ['en', 'zh-CN'] as const) {
      const result = problem(error, language, event(BROWSER));
      expect(result.statusCode).toBe(error.status);
      expect(result.headers!['content-type']).toMatch(/^text\/html/);
      expect(result.headers!['content-language']).toBe(language);
      expect(result.body).toContain(`<html lang="${language}">`);
      expect(result.body).toContain(error.title[language]);
      for (const [name, value] of Object.entries(error.options.headers ?? {}))
        expect(result.headers![name]).toBe(value);
    }
  });

  it.each(cases)('%s: a JSON client (or one with no preference) keeps problem+json', (_, error) => {
    for (const accept of ['application/json', '*/*', 'application/problem+json, text/html;q=0.5']) {
      const result = problem(error, 'en', event(accept));
      expect(result.statusCode).toBe(error.status);
      expect(result.headers!['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(String(result.body))).toMatchObject({ type: error.type, status: error.status });
    }
  });

  it('names what a 403 refused: analytics are not "this case"', () => {
    expect(new StaffForbiddenError('analytics').title.en).not.toMatch(/case/);
    expect(new StaffForbiddenError('weekly-report').title.en).toMatch(/weekly report/);
    expect(new StaffForbiddenError().title.en).toMatch(/this case/);
  });

  it('points a staff page back to the queue', () => {
    expect(problem(new StaffForbiddenError(), 'en', event(BROWSER, '/staff/complaints/x')).body).toContain(
      '/staff/queue?lang=en',
    );
  });
});
