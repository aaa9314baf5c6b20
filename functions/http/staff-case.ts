import middy from '@middy/core';
import { decideAsStaff, viewCaseAsStaff } from '../app/staff-case';
import type { FormInput } from '../domain/steps';
import {
  json,
  messageProblem,
  problemDetails,
  requestLanguage,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { evidenceUploadOrigin } from '../lib/evidence-upload-origin';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { caseJson, caseNotice, casePageHtml } from '../pages/staff-pages';
import { alreadyDecidedOrMoved, invalidDecisionMessage, linkStatusMessage, recordedMessage } from '../pages/task-pages';
import { messageAnswer, pageResult, scriptPageResult } from './shared/page-results';
import { noncedFields, signInRedirect, staffSessionOf } from './shared/staff-auth';

/**
 * GET /staff/complaints/{id}: the whole case (every view recorded in its staff-only history).
 * POST decides its current task with the task page's fields, through the emailed link's path.
 */
async function staffCase(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const id = event.pathParameters?.id ?? '';
  const { desk } = settings();
  const asJson = wantsJson(event);
  const page = { member: session.member, language, nonce: session.nonce, config: desk };
  if (event.httpMethod !== 'POST') {
    const view = await viewCaseAsStaff(session.member, id);
    if (asJson) return json(200, caseJson(view));
    const notice = caseNotice(event.queryStringParameters?.notice, language);
    // The message form's one script uploads attachments: to this origin and the evidence store only.
    return scriptPageResult(200, language, [evidenceUploadOrigin()], (scriptNonce) =>
      casePageHtml({ ...page, view, notice, scriptNonce }),
    );
  }
  const { fields } = noncedFields(session, event);
  const result = await decideAsStaff(session.member, id, fields as FormInput, language);
  switch (result.kind) {
    case 'recorded': {
      const { step, decision } = result;
      return messageAnswer(recordedMessage({ step, role: 'handler', decision, complaintId: id, language }), asJson);
    }
    case 'invalid': {
      const { view, values, errors } = result;
      return asJson
        ? messageProblem(invalidDecisionMessage(errors, language), {}, errors)
        : pageResult(400, casePageHtml({ ...page, view, values, errors }), language);
    }
    case 'closed':
      return messageAnswer(linkStatusMessage(result.link, language, result.now, desk.timeZone), asJson);
    case 'moved-on':
      return messageAnswer(alreadyDecidedOrMoved(language), asJson);
  }
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffCase);
