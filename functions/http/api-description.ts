import middy from '@middy/core';
import { json, problemDetails, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { apiDescription } from './shared/openapi';
import { settings } from '../lib/settings';

/** GET /openapi.json: the API described, from the same catalog and schemas the routes use. */
async function describeApi(_event: HttpEvent): Promise<HttpResult> {
  const { publicBaseUrl, desk } = settings();
  return json(
    200,
    apiDescription(
      publicBaseUrl,
      desk.categories.map((category) => category.id),
    ),
    { 'cache-control': 'public, max-age=300' },
  );
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails()).handler(describeApi);
