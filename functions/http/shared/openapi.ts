import * as z from 'zod/mini';
import { FUNCTIONS, type HttpRoute } from '../../catalog';
import {
  commonProblems,
  RESPONSE_SCHEMAS,
  ROUTE_CONTRACTS,
  type RouteContract,
  type Schema,
  type Success,
} from './api-contract';
import { REQUEST_BODIES } from './api-schemas';
import { CONTRACT_FILE, UNDESCRIBED } from './openapi-marks';

const PROBLEM = {
  type: 'object',
  description: 'RFC 9457 problem details, in the reader’s language (zh-CN or en)',
  properties: {
    type: { type: 'string', description: 'a stable URN, e.g. urn:redress:problem:validation-failed' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        required: ['path', 'message'],
      },
    },
  },
  // What API Gateway answers itself (its throttling, a failed integration) has no status field.
  required: ['type', 'title'],
};

export { CONTRACT_FILE, UNDESCRIBED } from './openapi-marks';

export const routeKey = (route: Pick<HttpRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** `StaffCaseActionPostStaffComplaintsIdNotes`: the function, the method and the path's words. */
function operationIdOf(functionId: string, method: string, path: string): string {
  const words = path
    .split(/[/{}.-]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1));
  return `${functionId}${method[0]}${method.slice(1).toLowerCase()}${words.join('')}`;
}

/** A zod schema as JSON Schema inside the document (no `$schema` of its own). */
function jsonSchemaOf(schema: z.ZodMiniType): Schema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Schema;
  return rest;
}

/** `category` takes the desk's categories, no other. */
function withCategories(schema: Schema, categories: readonly string[]): Schema {
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (!properties?.category || !categories.length) return schema;
  return { ...schema, properties: { ...properties, category: { ...properties.category, enum: [...categories] } } };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const PROBLEM_CONTENT = { 'application/problem+json': { schema: ref('Problem') } };
const PAGE_CONTENT = { 'text/html': { schema: { type: 'string' } } };
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before sending it again',
    required: true,
    schema: { type: 'integer' },
  },
};
const LOCATION = { Location: { description: 'Where to go next', required: true, schema: { type: 'string' } } };

function successResponse(success: Success) {
  const content: Record<string, unknown> = {
    ...(success.json ? { 'application/json': { schema: ref(success.json) } } : {}),
    ...(success.page ? PAGE_CONTENT : {}),
    ...(success.csv ? { 'text/csv': { schema: { type: 'string' } } } : {}),
  };
  return {
    description: success.description,
    ...(success.redirect ? { headers: LOCATION } : {}),
    ...(Object.keys(content).length ? { content } : {}),
  };
}

function responsesOf(route: HttpRoute, contract: RouteContract) {
  const responses: Record<string, unknown> = {};
  for (const [status, success] of Object.entries(contract.ok)) responses[status] = successResponse(success);
  // A staff page asked for without a session goes to the sign-in page.
  if (contract.access === 'staff' && route.method === 'GET' && !responses['303'])
    responses['303'] = { description: 'No staff session (a page): to the sign-in page', headers: LOCATION };
  const problems = { ...commonProblems(route.method, route.path, contract), ...contract.problems };
  for (const [status, description] of Object.entries(problems)) {
    // Every problem is problem+json, or for a browser (Accept: text/html) the same problem as a
    // page in the reader's language: lib/http.ts `problem` decides for every route alike.
    const known = responses[status] as { description: string; content?: Record<string, unknown> } | undefined;
    responses[status] = {
      description: known ? `${known.description}; or: ${description}` : description,
      ...(status === '429' || status === '503' ? { headers: RETRY_AFTER } : {}),
      content: { ...known?.content, ...PROBLEM_CONTENT, ...PAGE_CONTENT },
    };
  }
  return responses;
}

function securityOf(route: HttpRoute, contract: RouteContract) {
  switch (contract.access) {
    case 'staff':
      return route.method === 'GET' ? [{ staffSession: [] }] : [{ staffSession: [], staffNonce: [] }];
    case 'tracking':
      return [{ trackingToken: [] }, { trackingTokenQuery: [] }];
    case 'signed':
      return [{ platformSignature: [], platformTimestamp: [] }];
    default:
      // Public, or the link in the path is the capability.
      return [];
  }
}

function requestBodyOf(route: HttpRoute, contract: RouteContract | undefined, categories: readonly string[]) {
  const json = route.body ? withCategories(jsonSchemaOf(REQUEST_BODIES[route.body]), categories) : undefined;
  const content: Record<string, unknown> = {
    ...(json ? { 'application/json': { schema: json } } : {}),
    ...(!json && contract?.form && contract.formAsJson ? { 'application/json': { schema: contract.form } } : {}),
    ...(contract?.form ? { 'application/x-www-form-urlencoded': { schema: contract.form } } : {}),
  };
  if (!Object.keys(content).length) return undefined;
  return {
    // A tracking page's button may post nothing but its token, which may also ride in the query.
    required: contract?.access !== 'tracking',
    content,
  };
}

function operationOf(spec: (typeof FUNCTIONS)[number], route: HttpRoute, categories: readonly string[]) {
  const contract = ROUTE_CONTRACTS[routeKey(route)];
  const parameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const base = {
    operationId: operationIdOf(spec.id, route.method, route.path),
    summary: route.summary,
    ...(parameters.length ? { parameters } : {}),
  };
  if (!contract) {
    // Served, but nothing says what it answers: the suite fails on any response it gets.
    return {
      ...base,
      [UNDESCRIBED]: true,
      description: `Not yet described: add '${routeKey(route)}' to ROUTE_CONTRACTS in ${CONTRACT_FILE}.`,
      security: route.staff ? [{ staffSession: [] }] : [],
      ...(requestBodyOf(route, undefined, categories)
        ? { requestBody: requestBodyOf(route, undefined, categories) }
        : {}),
      responses: { default: { description: 'Not yet described' } },
    };
  }
  const body = requestBodyOf(route, contract, categories);
  return {
    ...base,
    description: contract.answersJson
      ? 'Answers JSON when asked (accept: application/json), else a page where it has one.'
      : 'Answers pages only (text/html), never JSON; its problems are problem+json when asked for JSON.',
    security: securityOf(route, contract),
    ...(body ? { requestBody: body } : {}),
    responses: responsesOf(route, contract),
  };
}

/**
 * The OpenAPI 3.1 description of every route of the catalog: the request schemas that validate
 * them, the forms the pages post, every answer (api-contract.ts), `category` as the desk's.
 */
export function apiDescription(serverUrl: string, categories: readonly string[] = []) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of FUNCTIONS)
    for (const route of spec.routes ?? [])
      (paths[route.path] ??= {})[route.method.toLowerCase()] = operationOf(spec, route, categories);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Redress',
      version: '1',
      description: 'A complaint desk: intake, tracking links, task links, the staff desk.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: { Problem: PROBLEM, ...RESPONSE_SCHEMAS },
      securitySchemes: {
        staffSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'redress_staff',
          description: 'The staff session, set by signing in with an emailed link',
        },
        staffNonce: {
          type: 'apiKey',
          in: 'header',
          name: 'x-redress-nonce',
          description:
            'The session’s page nonce (GET /staff/queue answers it as `nonce`), on every state-changing staff request; a page’s form sends it as the field `nonce` instead',
        },
        trackingToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The tracking token of the complaint’s private tracking link (its `token`)',
        },
        platformSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'redress-signature',
          description:
            '`v1=<hex>` (one per active secret, comma-separated): HMAC-SHA256 of `<redress-timestamp>.<raw body>` under the inbound secret (docs/webhooks.md)',
        },
        platformTimestamp: {
          type: 'apiKey',
          in: 'header',
          name: 'redress-timestamp',
          description: 'Unix seconds when the request was signed; refused when over 5 minutes from the desk’s clock',
        },
        trackingTokenQuery: {
          type: 'apiKey',
          in: 'query',
          name: 'token',
          description: 'The tracking token in the query, as the emailed tracking link carries it',
        },
      },
    },
  };
}
