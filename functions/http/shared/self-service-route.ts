import middy from '@middy/core';
import type { SelfServiceInput, SelfServiceResult } from '../../app/shared/self-service';
import {
  formBody,
  json,
  jsonBody,
  problemDetails,
  requestLanguage,
  type HttpEvent,
  type HttpResult,
} from '../../lib/http';
import { logContext } from '../../lib/log';
import { backToTracking, complaintForTrackingLink, isFormPost } from './tracking-auth';

/**
 * The one way a complainant's action from the tracking link is answered. JSON gets the use
 * case's status and body, or its problem as problem+json; the tracking page's plain form (no
 * JavaScript) gets a 303 back to the page with the notice that says what happened.
 */
export function selfServiceRoute(act: (input: SelfServiceInput) => Promise<SelfServiceResult>) {
  return middy<HttpEvent, HttpResult>()
    .use(logContext())
    .use(problemDetails(requestLanguage))
    .handler(async (event) => {
      const form = isFormPost(event) ? formBody(event) : undefined;
      const body = !form && event.body ? jsonBody(event) : undefined;
      const fields =
        form ?? (body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {});
      const { complaint, token, language } = await complaintForTrackingLink(
        event,
        typeof form?.token === 'string' ? form.token : undefined,
      );
      const result = await act({ complaint, fields, language });
      if (form) return backToTracking(complaint.id, token, language, result.notice);
      if (!result.ok) throw result.problem;
      return json(result.status, result.body);
    });
}
