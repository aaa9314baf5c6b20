import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { CONTRACT_FILE, UNDESCRIBED } from '../../functions/http/shared/openapi-marks';

/**
 * The served API description is the contract: every response the suite receives from a stack's
 * API is checked against the document that stack serves (GET /openapi.json), so a test fails when
 * the server and the document disagree. Each failure says what to add, and where.
 */

type Doc = any;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

interface PathTemplate {
  path: string;
  pattern: RegExp;
  literal: boolean;
}

export interface ReceivedResponse {
  method: string;
  /** The path the response answered (after any redirect fetch followed), query and all. */
  url: URL;
  status: number;
  headers: Headers;
  /** Undefined: the browser no longer holds it (its page moved on); the status and type are still checked. */
  body?: string;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** Checks responses against one OpenAPI 3.1 document. */
export class ResponseValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: PathTemplate[];

  constructor(private readonly doc: Doc) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'urn:redress:components', components: doc.components }, 'components');
    this.templates = Object.keys(doc.paths ?? {})
      .map((path) => ({
        path,
        literal: !path.includes('{'),
        pattern: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}/?$`),
      }))
      // A literal path wins over a template that also matches it.
      .sort((a, b) => Number(b.literal) - Number(a.literal));
  }

  /** What is wrong with this response by the document: nothing, or one line per disagreement. */
  check(received: ReceivedResponse): string[] {
    const { method, url, status } = received;
    const what = `${method} ${url.pathname} answered ${status}`;
    const template = this.templates.find((t) => t.pattern.test(url.pathname));
    const operation = template ? this.doc.paths[template.path][method.toLowerCase()] : undefined;
    if (!template || !operation) {
      // The gateway's own answer to a path or method it does not serve.
      if (status === 404 || status === 405) return this.checkBody(received, what, PROBLEM_ONLY);
      return [
        `${what}, a route the API description does not have: add it to FUNCTIONS in functions/catalog.ts (method, path, summary) and what it answers to ROUTE_CONTRACTS in ${CONTRACT_FILE}`,
      ];
    }
    const key = `${method} ${template.path}`;
    if (operation[UNDESCRIBED])
      return [
        `${what}: '${key}' is in functions/catalog.ts but nothing says what it answers: add '${key}': { access, answersJson, ok: { <status>: { description, json | page | redirect } }, problems: { <status>: why } } to ROUTE_CONTRACTS in ${CONTRACT_FILE} (a new JSON body's schema goes in RESPONSE_SCHEMAS there)`,
      ];
    const declared = operation.responses?.[String(status)] ?? operation.responses?.[`${String(status)[0]}XX`];
    if (!declared)
      return [
        `${what}, which the API description does not declare for '${key}' (it declares ${Object.keys(operation.responses ?? {}).join(', ')}): add ${status} to ROUTE_CONTRACTS['${key}'] in ${CONTRACT_FILE} (\`ok\` for a success, \`problems\` for a refusal), or fix the handler. Body: ${(received.body ?? '').slice(0, 300)}`,
      ];
    const problems: string[] = [];
    for (const [name, header] of Object.entries<Doc>(declared.headers ?? {}))
      if (header.required && !received.headers.has(name))
        problems.push(`${what} without the ${name} header that '${key}' declares for ${status}`);
    const base = ['#', 'paths', template.path, method.toLowerCase(), 'responses', String(status), 'content'];
    return [...problems, ...this.checkBody(received, `${what} ('${key}')`, declared.content, base)];
  }

  private checkBody(received: ReceivedResponse, what: string, content: Doc, base?: string[]): string[] {
    const media = (received.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!content || !Object.keys(content).length)
      return received.body?.length && received.method !== 'HEAD'
        ? [`${what} with a ${media || 'typeless'} body where the API description declares none`]
        : [];
    if (!content[media])
      return [
        `${what} as ${media || 'no content-type'}, where the API description declares ${Object.keys(content).join(' or ')}. Body: ${(received.body ?? '').slice(0, 300)}`,
      ];
    if (!/json$/.test(media) || received.method === 'HEAD' || received.body === undefined) return [];
    let body: unknown;
    try {
      body = JSON.parse(received.body);
    } catch {
      return [`${what} as ${media} with a body that is not JSON: ${received.body.slice(0, 300)}`];
    }
    const validate = this.validatorFor(content[media].schema, base ? pointer(...base, media, 'schema') : media);
    if (validate(body)) return [];
    return [
      `${what}: the ${media} body does not match the API description's schema: ${(validate.errors ?? [])
        .map((e) => `${e.instancePath || '(body)'} ${e.message}`)
        .join('; ')}. Body: ${(received.body ?? '').slice(0, 300)}`,
    ];
  }

  private validatorFor(schema: Doc, key: string): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      // The document's references (#/components/…) resolve within the components added above.
      const rebased = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', '"urn:redress:components#/components/'),
      );
      validate = this.ajv.compile(rebased);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

// The gateway's own 404/405 goes through the handlers' mapping too (lib/http.ts problem): a page for a browser.
const PROBLEM_ONLY = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
  'text/html': { schema: { type: 'string' } },
};

// ---- Every response the test process receives from a watched API

/**
 * The process's own fetch, kept on the global object the first time: a test file that shares its
 * worker with earlier ones (the stack project's files do) imports this module again, and wraps
 * that fetch, not the earlier file's wrapper.
 */
const REAL_FETCH = Symbol.for('redress.realFetch');
const realFetch: typeof fetch = ((globalThis as Record<symbol, unknown>)[REAL_FETCH] ??=
  globalThis.fetch.bind(globalThis)) as typeof fetch;
const watched = new Map<string, Promise<ResponseValidator>>();
const pending = new Set<Promise<void>>();
let violations: string[] = [];
let checked = 0;

/** How many responses this process has checked so far. */
export const responsesChecked = () => checked;

/** Checks every later response from the API at `base` against the document it serves. */
export function watchApi(base: string): void {
  const origin = new URL(base).origin;
  if (watched.has(origin)) return;
  const validator = realFetch(`${origin}/openapi.json`).then(async (response) => {
    if (response.status !== 200) throw new Error(`${origin}/openapi.json answered ${response.status}`);
    return new ResponseValidator(await response.json());
  });
  validator.catch(() => undefined);
  watched.set(origin, validator);
}

function methodOf(input: Parameters<typeof fetch>[0], init?: RequestInit): string {
  return (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
}

async function checkResponse(validatorOf: Promise<ResponseValidator>, method: string, response: Response) {
  try {
    const validator = await validatorOf;
    const found = validator.check({
      // fetch follows a 303 with a GET.
      method: response.redirected ? 'GET' : method,
      url: new URL(response.url),
      status: response.status,
      headers: response.headers,
      body: await response.text(),
    });
    checked++;
    violations.push(...found);
  } catch (error) {
    violations.push(`checking ${method} ${response.url} against the API description failed: ${String(error)}`);
  }
}

/** What a browser page received (Playwright's response), checked like fetch's. */
export function checkBrowserResponse(response: {
  url(): string;
  status(): number;
  allHeaders(): Promise<Record<string, string>>;
  text(): Promise<string>;
  request(): { method(): string };
}): void {
  const url = new URL(response.url());
  const validator = watched.get(url.origin);
  if (!validator || url.pathname.startsWith('/local/')) return;
  const check = (async () => {
    const status = response.status();
    // A redirect's body is not kept by the browser, and has none here. A page that moved on as the
    // answer came (a script that opens the new case on its 201) may leave the body unreadable.
    const body = status >= 300 && status < 400 ? '' : await response.text().catch(() => undefined);
    const headers = new Headers(await response.allHeaders());
    try {
      checked++;
      violations.push(...(await validator).check({ method: response.request().method(), url, status, headers, body }));
    } catch (error) {
      violations.push(`checking ${url} against the API description failed: ${String(error)}`);
    }
  })();
  pending.add(check);
  void check.finally(() => pending.delete(check));
}

/** Makes the process's fetch check what each watched API answers (installed by test/support/api-contract-setup.ts). */
export function installResponseValidation(): void {
  if ((globalThis.fetch as { validating?: typeof watched }).validating === watched) return;
  const validating = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const response = await realFetch(input, init);
    const validator = response.url ? watched.get(new URL(response.url).origin) : undefined;
    const method = methodOf(input, init);
    if (validator && !new URL(response.url).pathname.startsWith('/local/')) {
      const check = checkResponse(validator, method, response.clone());
      pending.add(check);
      void check.finally(() => pending.delete(check));
    }
    return response;
  };
  globalThis.fetch = Object.assign(validating, { validating: watched }) as typeof fetch;
}

/** Waits for the checks under way and hands back what they found (and forgets it). */
export async function takeViolations(): Promise<string[]> {
  await Promise.all([...pending]);
  const found = violations;
  violations = [];
  return found;
}
