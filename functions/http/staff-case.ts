import middy from '@middy/core';
import { decideAsStaff, viewCaseAsStaff } from '../app/staff-case';
import {
  formBody,
  header,
  html,
  json,
  jsonBody,
  messageProblem,
  problemDetails,
  requestLanguage,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { evidenceUploadOrigin } from '../lib/evidence-upload-origin';
import { logContext } from '../lib/log';
import { newScriptNonce, scriptPageCsp } from '../lib/script-csp';
import { settings } from '../lib/settings';
import { requireNonce, signInRedirect, staffSessionOf } from './shared/staff-auth';
import { caseJson, caseNotice, casePageHtml } from '../pages/staff-pages';
import {
  alreadyDecidedOrMoved,
  linkStatusMessage,
  recordedMessage,
  taskMessagePage,
  type TaskMessage,
} from '../pages/task-pages';

const messageResult = (m: TaskMessage, asJson: boolean): HttpResult =>
  asJson
    ? m.status >= 400
      ? messageProblem(m)
      : json(m.status, { status: m.status, title: m.title, message: m.message })
    : html(m.status, taskMessagePage(m), { 'content-language': m.language });

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
  if (event.httpMethod !== 'POST') {
    const view = await viewCaseAsStaff(session.member, id);
    if (asJson) return json(200, caseJson(view));
    // The message form's one script uploads attachments: to this origin and the evidence store only.
    const scriptNonce = newScriptNonce();
    return html(
      200,
      casePageHtml({
        view,
        member: session.member,
        language,
        nonce: session.nonce,
        config: desk,
        notice: caseNotice(event.queryStringParameters?.notice, language),
        scriptNonce,
      }),
      { 'content-language': language, 'content-security-policy': scriptPageCsp(scriptNonce, [evidenceUploadOrigin()]) },
    );
  }
  const fields = (/json/i.test(header(event, 'content-type') ?? '') ? jsonBody(event) : formBody(event)) as Record<
    string,
    string | string[]
  >;
  requireNonce(session, event, fields);
  const result = await decideAsStaff(session.member, id, fields, language);
  switch (result.kind) {
    case 'recorded':
      return messageResult(
        recordedMessage({ step: result.step, role: 'handler', decision: result.decision, complaintId: id, language }),
        asJson,
      );
    case 'invalid':
      return asJson
        ? messageProblem(
            {
              status: 400,
              title: language === 'zh-CN' ? '提交的内容有误' : 'The decision has invalid fields',
              message: result.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
              language,
            },
            {},
            result.errors,
          )
        : html(
            400,
            casePageHtml({
              view: result.view,
              member: session.member,
              language,
              nonce: session.nonce,
              config: desk,
              values: result.values,
              errors: result.errors,
            }),
            { 'content-language': language },
          );
    case 'closed':
      return messageResult(linkStatusMessage(result.link, language, result.now, desk.timeZone), asJson);
    case 'moved-on':
      return messageResult(alreadyDecidedOrMoved(language), asJson);
  }
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffCase);
