import middy from '@middy/core';
import { messageFileUrl } from '../app/message-files';
import { caseForRespondent } from '../app/respondent-view';
import { header, problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { complaintForTrackingLink } from './shared/tracking-auth';

/**
 * GET /complaints/{id}/files/{fileId}?token=… (the tracking token) and
 * GET /respond/{id}/files/{fileId}?token=… (the respondent's): a file the desk sent that reader,
 * as a redirect to a download link that expires within minutes. Anything else is 404.
 */
async function messageFile(event: HttpEvent): Promise<HttpResult> {
  const fileId = event.pathParameters?.fileId ?? '';
  const url = event.resource.startsWith('/respond/')
    ? await messageFileUrl(
        await caseForRespondent(
          event.pathParameters?.id ?? '',
          event.queryStringParameters?.token ?? header(event, 'authorization')?.replace(/^Bearer\s+/i, ''),
        ),
        'respondent',
        fileId,
      )
    : await messageFileUrl((await complaintForTrackingLink(event)).complaint, 'complainant', fileId);
  return { statusCode: 302, headers: { location: url, 'cache-control': 'no-store' }, body: '' };
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(requestLanguage))
  .handler(messageFile);
