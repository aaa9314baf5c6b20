import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog';
import { apiDescription } from '../../functions/http/shared/openapi';

describe('the API description (GET /openapi.json)', () => {
  const doc = apiDescription('https://complaints.example.org') as any;

  it('describes every route of the catalog, each with a summary', () => {
    const routes = FUNCTIONS.flatMap((spec) => (spec.routes ?? []).map((route) => ({ ...route, id: spec.id })));
    for (const route of routes) {
      expect(route.summary?.trim(), `${route.method} ${route.path} (${route.id}) has no summary`).toBeTruthy();
      expect(doc.paths[route.path]?.[route.method.toLowerCase()]?.summary, `${route.method} ${route.path}`).toBe(
        route.summary,
      );
    }
    const described = Object.values<any>(doc.paths).flatMap((operations) => Object.keys(operations));
    expect(described).toHaveLength(routes.length);
    expect(
      new Set(Object.values<any>(doc.paths).flatMap((ops) => Object.values<any>(ops).map((op) => op.operationId))).size,
    ).toBe(routes.length);
  });

  it('takes its request schemas from the schemas that validate the requests', () => {
    expect(doc.openapi).toBe('3.1.0');
    const filing = doc.paths['/complaints'].post.requestBody.content['application/json'].schema;
    expect(filing.properties.channel.enum).toEqual(['web', 'api']);
    expect(filing.required).toEqual(
      expect.arrayContaining(['channel', 'complainant', 'category', 'subject', 'description']),
    );
    expect(
      doc.paths['/staff/complaints'].post.requestBody.content['application/json'].schema.properties.channel.enum,
    ).toEqual(['hotline', 'social', 'app']);
    expect(
      doc.paths['/complaints/{id}/evidence'].post.requestBody.content['application/json'].schema.properties.size.type,
    ).toBe('integer');
    expect(doc.paths['/staff/queue'].get.security).toEqual([{ staffSession: [] }]);
  });
});
