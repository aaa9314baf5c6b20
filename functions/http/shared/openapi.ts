import * as z from 'zod/mini';
import { FUNCTIONS } from '../../catalog';
import { REQUEST_BODIES } from './api-schemas';

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
  required: ['type', 'title', 'status'],
};

/** `StaffCaseActionPostStaffComplaintsIdNotes`: the function, the method and the path's words. */
function operationIdOf(functionId: string, method: string, path: string): string {
  const words = path
    .split(/[/{}-]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1));
  return `${functionId}${method[0]}${method.slice(1).toLowerCase()}${words.join('')}`;
}

/** The OpenAPI 3.1 description of every route of the catalog, with the request schemas that validate them. */
export function apiDescription(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of FUNCTIONS) {
    for (const route of spec.routes ?? []) {
      const parameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const body = route.body
        ? z.toJSONSchema(REQUEST_BODIES[route.body], { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' })
        : undefined;
      (paths[route.path] ??= {})[route.method.toLowerCase()] = {
        operationId: operationIdOf(spec.id, route.method, route.path),
        summary: route.summary,
        ...(parameters.length ? { parameters } : {}),
        ...(route.staff ? { security: [{ staffSession: [] }] } : {}),
        ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
        responses: {
          '2XX': { description: 'Done: JSON when asked for (accept: application/json), else a page' },
          '4XX': {
            description: 'A problem the caller can fix',
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Redress',
      version: '1',
      description: 'A complaint desk: intake, tracking links, task links, the staff desk.',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: { Problem: PROBLEM },
      securitySchemes: {
        staffSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'redress_staff',
          description: 'The staff session, set by signing in with an emailed link',
        },
      },
    },
  };
}
