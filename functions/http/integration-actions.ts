import middy from '@middy/core';
import { recordReportedAction } from '../app/integration-actions';
import { SIGNATURE_HEADERS } from '../domain/webhook-signing';
import { header, json, jsonBody, problemDetails, rawBody, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';

/** POST /integrations/actions (signed like the webhooks): 201 with the recorded action; 401 unsigned, 400 bad fields, 404 no such case. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .handler(async (event) => {
    const recorded = await recordReportedAction({
      body: rawBody(event),
      parsed: () => jsonBody(event),
      timestamp: header(event, SIGNATURE_HEADERS.timestamp),
      signature: header(event, SIGNATURE_HEADERS.signature),
    });
    const { repeated, ...answer } = recorded;
    return json(repeated ? 200 : 201, answer);
  });
