import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { ROUTE_CONTRACTS } from '../../functions/http/shared/api-contract';
import { apiDescription, CONTRACT_FILE, routeKey } from '../../functions/http/shared/openapi';
import { installResponseValidation, ResponseValidator, takeViolations, watchApi } from '../support/api-contract';
import { lintApiDescription } from '../support/lint-api';

const categories = DEFAULT_DESK_CONFIG.categories.map((category) => category.id);
const doc = apiDescription('https://complaints.example.org', categories);
const validator = new ResponseValidator(doc);

const answer = (method: string, path: string, status: number, body: unknown, headers: Record<string, string> = {}) =>
  validator.check({
    method,
    url: new URL(path, 'https://complaints.example.org'),
    status,
    headers: new Headers({
      'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
      ...headers,
    }),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const withdrawn = { id: 'c1', status: 'closed', outcome: 'withdrawn', closedAt: '2026-01-02T03:04:05.000Z' };

describe('the API contract (what each route answers, in GET /openapi.json)', () => {
  it('says what every route of the catalog answers', () => {
    const missing = FUNCTIONS.flatMap((spec) => spec.routes ?? [])
      .map(routeKey)
      .filter((key) => !ROUTE_CONTRACTS[key]);
    expect(
      missing,
      `routes with no contract: add each to ROUTE_CONTRACTS in ${CONTRACT_FILE} (access, answersJson, ok, problems)`,
    ).toEqual([]);
    const stale = Object.keys(ROUTE_CONTRACTS).filter(
      (key) => !FUNCTIONS.some((spec) => spec.routes?.some((route) => routeKey(route) === key)),
    );
    expect(stale, `contracts of routes the catalog no longer has: remove them from ${CONTRACT_FILE}`).toEqual([]);
  });

  it('declares both security schemes, the forms the pages post, the statuses and category as the desk’s', () => {
    const ops = doc.paths as Record<string, Record<string, any>>;
    expect(Object.keys(doc.components.securitySchemes)).toEqual(
      expect.arrayContaining(['staffSession', 'staffNonce', 'trackingToken', 'trackingTokenQuery']),
    );
    expect(ops['/complaints/{id}']!.get.security).toEqual([{ trackingToken: [] }, { trackingTokenQuery: [] }]);
    expect(ops['/staff/complaints/{id}/notes']!.post.security).toEqual([{ staffSession: [], staffNonce: [] }]);
    for (const [path, method] of [
      ['/tasks/{linkId}', 'post'],
      ['/complaints/{id}/reminders', 'post'],
      ['/complaints/{id}/tracking-link', 'post'],
      ['/complaints/{id}/additions/confirmation', 'post'],
      ['/complaints/{id}/withdrawal', 'post'],
    ] as const)
      expect(Object.keys(ops[path]![method].requestBody.content), `${method} ${path}`).toContain(
        'application/x-www-form-urlencoded',
      );
    expect(Object.keys(ops['/complaints/{id}/withdrawal']!.post.requestBody.content)).toContain('application/json');
    const reminders = ops['/complaints/{id}/reminders']!.post.responses;
    expect(Object.keys(reminders)).toEqual(expect.arrayContaining(['201', '303', '404', '409', '429', '503']));
    expect(reminders['429'].headers['Retry-After'].required).toBe(true);
    expect(reminders['303'].headers.Location.required).toBe(true);
    expect(Object.keys(ops['/staff/queue']!.get.responses)).toEqual(expect.arrayContaining(['200', '303', '401']));
    expect(ops['/complaints']!.post.requestBody.content['application/json'].schema.properties.category.enum).toEqual(
      categories,
    );
    expect(ops['/tasks/{linkId}']!.post.description).toMatch(/pages only/);
  });

  it('passes redocly lint with no error', { timeout: 120_000 }, async () => {
    expect(await lintApiDescription()).toMatch(/valid/);
  });

  it('finds nothing wrong with a response as the document describes it', () => {
    expect(answer('POST', '/complaints/c1/withdrawal', 200, withdrawn)).toEqual([]);
    expect(
      answer('POST', '/complaints/c1/withdrawal', 303, '', { location: '/complaints/c1?token=t', 'content-type': '' }),
    ).toEqual([]);
    expect(
      answer(
        'POST',
        '/complaints/c1/reminders',
        429,
        { type: 'urn:redress:problem:reminder-too-soon', title: 'Too soon', status: 429 },
        { 'content-type': 'application/problem+json', 'retry-after': '60' },
      ),
    ).toEqual([]);
  });

  it('fails a deliberately wrong response, saying what is wrong and where to declare it', () => {
    const { closedAt: _, ...noClosedAt } = withdrawn;
    expect(answer('POST', '/complaints/c1/withdrawal', 200, noClosedAt).join('\n')).toMatch(
      /does not match the API description's schema: \(body\) must have required property 'closedAt'/,
    );
    expect(answer('POST', '/complaints/c1/withdrawal', 418, withdrawn).join('\n')).toMatch(
      /answered 418, which the API description does not declare for 'POST \/complaints\/\{id\}\/withdrawal'.*add 418 to ROUTE_CONTRACTS\['POST \/complaints\/\{id\}\/withdrawal'\] in functions\/http\/shared\/api-contract\.ts/,
    );
    expect(answer('GET', '/tasks/abc', 404, '<p>gone</p>').join('\n')).toEqual('');
    expect(answer('GET', '/openapi.json', 200, '<html>').join('\n')).toMatch(
      /as text\/html, where .* application\/json/,
    );
    expect(
      answer(
        'POST',
        '/complaints/c1/reminders',
        429,
        { type: 'x', title: 'Too soon' },
        {
          'content-type': 'application/problem+json',
        },
      ).join('\n'),
    ).toMatch(/without the Retry-After header/);
  });

  it('tells whoever adds a route to the catalog what to add, and where', () => {
    const undescribed = new ResponseValidator({
      ...doc,
      paths: { ...doc.paths, '/staff/views': { get: { 'x-redress-undescribed': true, responses: {} } } },
    });
    const found = undescribed.check({
      method: 'GET',
      url: new URL('https://complaints.example.org/staff/views'),
      status: 200,
      headers: new Headers({ 'content-type': 'application/json' }),
      body: '[]',
    });
    expect(found.join('\n')).toMatch(
      /'GET \/staff\/views' is in functions\/catalog\.ts but nothing says what it answers: add 'GET \/staff\/views': \{ access, answersJson, ok: .* to ROUTE_CONTRACTS in functions\/http\/shared\/api-contract\.ts/,
    );
    expect(answer('GET', '/staff/boards', 200, {}).join('\n')).toMatch(
      /a route the API description does not have: add it to FUNCTIONS in functions\/catalog\.ts .* ROUTE_CONTRACTS in functions\/http\/shared\/api-contract\.ts/,
    );
  });

  describe('the suite’s fetch', () => {
    // A stand-in API that serves the real document and one deliberately wrong answer.
    const server = http.createServer((req, res) => {
      if (req.url === '/openapi.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(doc));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'c1', status: 'open' }));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('checks every response from a watched API, and fails on a wrong one', async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      installResponseValidation();
      watchApi(base);
      const response = await fetch(`${base}/complaints/c1/withdrawal`, { method: 'POST' });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: 'c1', status: 'open' });
      const found = await takeViolations();
      expect(found.join('\n')).toMatch(
        /POST \/complaints\/c1\/withdrawal answered 200 \('POST \/complaints\/\{id\}\/withdrawal'\): the application\/json body does not match/,
      );
      expect(await takeViolations()).toEqual([]);
    });
  });
});
