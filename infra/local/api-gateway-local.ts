import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { FUNCTIONS } from '../../functions/catalog';
import { HttpError, problem as problemResult, requestLanguage, type HttpEvent } from '../../functions/lib/http';
import type { Bilingual } from '../../functions/domain/language';
import type { LocalClock } from './clock';
import type { LocalLambdas } from './lambda-local';

interface CompiledRoute {
  method: string;
  resource: string;
  pattern: RegExp;
  params: string[];
  functionId: string;
}

function compile(): CompiledRoute[] {
  return FUNCTIONS.flatMap((spec) =>
    (spec.routes ?? []).map((route) => {
      const params: string[] = [];
      const pattern = new RegExp(
        `^${route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
          params.push(name);
          return '([^/]+)';
        })}/?$`,
      );
      return { method: route.method, resource: route.path, pattern, params, functionId: spec.id };
    }),
  );
}

const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|x-www-form-urlencoded|xml))/i;
const MAX_BODY = 10 * 1024 * 1024; // API Gateway's payload limit

function problem(res: http.ServerResponse, status: number, title: string, detail?: string) {
  res.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8' });
  const type =
    { 400: 'bad-request', 404: 'not-found', 405: 'method-not-allowed', 413: 'payload-too-large' }[status] ??
    'bad-gateway';
  res.end(JSON.stringify({ type: `urn:redress:problem:${type}`, title, status, ...(detail ? { detail } : {}) }));
}

/**
 * What the gateway answers itself for an address or method it has no route for: the handlers'
 * own mapping (lib/http.ts `problem`), so a browser gets a page in its reader's language and an
 * API client problem+json.
 */
function routeProblem(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  status: number,
  type: string,
  title: Bilingual,
  headers: Record<string, string> = {},
) {
  const event = {
    headers: req.headers as Record<string, string>,
    path: url.pathname,
    httpMethod: req.method ?? 'GET',
    queryStringParameters: Object.fromEntries(url.searchParams),
  } as unknown as HttpEvent;
  const result = problemResult(
    new HttpError(status, `urn:redress:problem:${type}`, title, { headers }),
    requestLanguage(event),
    event,
  );
  res.writeHead(result.statusCode, result.headers as Record<string, string>);
  res.end(result.body);
}

/** Where the local clock can be read and moved, when the stack runs with REDRESS_CLOCK_CONTROL=1. */
export const CLOCK_CONTROL_PATH = '/local/clock';
const MAX_FORWARD_SECONDS = 10 * 366 * 24 * 3600;

/**
 * API Gateway (REST, Lambda proxy) on one machine: the catalog's routes, each calling the same
 * handler module Lambda runs with a REST proxy event.
 */
export class LocalApiGateway {
  private readonly routes = compile();
  private server?: http.Server;

  constructor(
    private readonly lambdas: LocalLambdas,
    /** Given only when the clock may be moved over HTTP (tests, demos); never part of the cloud API. */
    private readonly clockControl?: LocalClock,
    /** Runs scheduled functions now, once each, as their schedule would (a move of the clock may ask for it). */
    private readonly runScheduled?: (ids: string[]) => Promise<void>,
  ) {}

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        console.error(JSON.stringify({ level: 'ERROR', message: 'local api adapter failed', error: String(error) }));
        if (!res.headersSent) problem(res, 502, '网关错误 / Bad gateway');
        else res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * GET answers the local clock; POST `{"forwardSeconds": n}` moves it forward by n seconds of
   * the desk's time, firing every deadline it passes.
   */
  private async clock(req: http.IncomingMessage, res: http.ServerResponse, clock: LocalClock) {
    const answer = (at: Date) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ now: at.toISOString(), clockScale: clock.scale }));
    };
    if (req.method === 'GET') return answer(new Date(clock.nowMs()));
    if (req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return problem(res, 405, `不支持 ${req.method} 方法 / Method ${req.method} not allowed`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let forwardSeconds: unknown;
    let thenRun: unknown;
    try {
      ({ forwardSeconds, thenRun } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        forwardSeconds?: unknown;
        thenRun?: unknown;
      });
    } catch {
      return problem(
        res,
        400,
        '请求体不是 JSON / The body is not JSON',
        'Send {"forwardSeconds": <seconds of the desk\'s time>}',
      );
    }
    if (typeof forwardSeconds !== 'number' || !(forwardSeconds > 0) || forwardSeconds > MAX_FORWARD_SECONDS) {
      return problem(
        res,
        400,
        'forwardSeconds 不正确 / forwardSeconds is not valid',
        `forwardSeconds must be a number of seconds greater than 0 and at most ${MAX_FORWARD_SECONDS}`,
      );
    }
    const scheduled = FUNCTIONS.filter((f) => f.everyMinutes).map((f) => f.id);
    if (
      thenRun !== undefined &&
      (!Array.isArray(thenRun) || !thenRun.every((id) => typeof id === 'string' && scheduled.includes(id)))
    ) {
      return problem(
        res,
        400,
        'thenRun 不正确 / thenRun is not valid',
        `thenRun must list scheduled functions to run once after the move: ${scheduled.join(', ')}`,
      );
    }
    const at = clock.forward(forwardSeconds);
    // The named scheduled functions run once at the new time, and the answer waits for them: a
    // test sees what they did (or did not do) without waiting for their schedule in real time.
    if (Array.isArray(thenRun) && thenRun.length) await this.runScheduled?.(thenRun as string[]);
    return answer(at);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    if (this.clockControl && url.pathname === CLOCK_CONTROL_PATH) return this.clock(req, res, this.clockControl);
    const matches = this.routes.filter((route) => route.pattern.test(url.pathname));
    if (!matches.length)
      return routeProblem(req, res, url, 404, 'not-found', { 'zh-CN': '没有这个地址', en: 'No such address' });
    const route = matches.find((r) => r.method === method || (method === 'HEAD' && r.method === 'GET'));
    if (!route) {
      return routeProblem(
        req,
        res,
        url,
        405,
        'method-not-allowed',
        { 'zh-CN': `不支持 ${method} 方法`, en: `Method ${method} not allowed` },
        { allow: [...new Set(matches.map((r) => r.method))].join(', ') },
      );
    }

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return problem(res, 413, '请求体过大 / Request body too large');
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks);
    const contentType = String(req.headers['content-type'] ?? '');
    const isText = TEXT_TYPES.test(contentType) || raw.length === 0;

    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      const value = req.rawHeaders[i + 1]!;
      headers[name] = value;
      (multiValueHeaders[name] ??= []).push(value);
    }
    const query: Record<string, string> = {};
    const multiQuery: Record<string, string[]> = {};
    for (const [key, value] of url.searchParams) {
      query[key] = value;
      (multiQuery[key] ??= []).push(value);
    }
    const match = route.pattern.exec(url.pathname)!;
    let pathParameters: Record<string, string>;
    try {
      pathParameters = Object.fromEntries(route.params.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    } catch {
      // A malformed %-escape in the path: API Gateway refuses it before any function runs.
      return problem(res, 400, '地址格式不正确 / Malformed path');
    }
    const event: APIGatewayProxyEvent = {
      resource: route.resource,
      path: url.pathname,
      httpMethod: route.method,
      headers,
      multiValueHeaders,
      queryStringParameters: Object.keys(query).length ? query : null,
      multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
      pathParameters: route.params.length ? pathParameters : null,
      stageVariables: null,
      body: raw.length ? (isText ? raw.toString('utf8') : raw.toString('base64')) : null,
      isBase64Encoded: raw.length > 0 && !isText,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        authorizer: null,
        httpMethod: route.method,
        identity: {
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: String(req.headers['user-agent'] ?? ''),
        } as never,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        requestId: randomUUID(),
        requestTimeEpoch: Date.now(),
        resourceId: 'local',
        resourcePath: route.resource,
        stage: 'local',
      },
    };
    const result = (await this.lambdas.invoke(route.functionId, event)) as APIGatewayProxyResult;
    const responseHeaders: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
    for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
      responseHeaders[name] = values.map(String);
    res.writeHead(result.statusCode, responseHeaders);
    res.end(method === 'HEAD' ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  }
}
