import type { EvidenceParty } from '../../domain/evidence-policy';
import type { Language } from '../../domain/language';
import type { HttpResult } from '../../lib/http';
import { evidenceUploadOrigin } from '../../lib/evidence-upload-origin';
import { settings } from '../../lib/settings';
import { formUploadPage } from '../../pages/form-upload-page';
import { pageResult } from './page-results';

/**
 * The form that sends one file to the evidence store, for a page used without its script: the
 * page may post to that store and nowhere else but here (where the store sends the browser back).
 */
export function formUploadResult(
  post: { url: string; fields: Record<string, string>; expiresAt: string },
  language: Language,
  back: string,
  party?: EvidenceParty,
): HttpResult {
  return pageResult(200, formUploadPage({ post, language, config: settings().desk, party, back }), language, {
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' ${evidenceUploadOrigin()}; frame-ancestors 'none'; base-uri 'none'`,
    'cache-control': 'no-store',
  });
}
