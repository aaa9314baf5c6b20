import { respondentFiles, respondentThread } from '../../app/respondent-view';
import type { ComplaintRecord } from '../../domain/complaint';
import type { Language } from '../../domain/language';
import { isOpen } from '../../domain/lifecycle';
import { evidenceUploadOrigin } from '../../lib/evidence-upload-origin';
import { json, wantsJson, type HttpEvent, type HttpResult } from '../../lib/http';
import { settings } from '../../lib/settings';
import { respondentPage } from '../../pages/thread-view';
import { scriptPageResult } from './page-results';

/** GET /respond/{id}: the respondent's messages and files, as JSON or as the page with its answer form. */
export async function respondentPageResult(
  event: HttpEvent,
  complaint: ComplaintRecord,
  token: string,
  language: Language,
  selfPath: string,
): Promise<HttpResult> {
  const [entries, evidence] = await Promise.all([respondentThread(complaint), respondentFiles(complaint)]);
  const open = isOpen(complaint.status);
  if (wantsJson(event)) return json(200, { number: complaint.number, open, messages: entries, evidence });
  // The answer form's one script uploads the respondent's files: to this origin and the evidence store only.
  const connectTo = [new URL(selfPath).origin, evidenceUploadOrigin()];
  return scriptPageResult(200, language, connectTo, (scriptNonce) =>
    respondentPage({
      number: complaint.number,
      entries,
      language,
      timeZone: settings().desk.timeZone,
      token,
      selfPath,
      open,
      notice: event.queryStringParameters?.notice === 'sent' ? 'sent' : undefined,
      downloadHref: (fileId) => `${selfPath}/files/${fileId}?token=${encodeURIComponent(token)}`,
      evidence,
      config: settings().desk,
      scriptNonce,
    }),
  );
}
