import { COMPLAINT_ID_PATTERN } from '../../domain/ids';
import { isLanguage, type Language } from '../../domain/language';
import type { ComplaintRecord } from '../../domain/complaint';
import { header, NotFoundError, type HttpEvent, type HttpResult } from '../../lib/http';
import { settings } from '../../lib/settings';
import { isTrackingTokenValid } from '../../lib/links';
import { getComplaint } from '../../store/complaints';
import { REQUEST_TEXTS } from '../../pages/request-texts';

const NOT_FOUND = REQUEST_TEXTS.trackingLinkNotFound;

/** The tracking token a request carries: `?token=`, a Bearer header, or a form field (no-JS forms). */
export function trackingTokenOf(event: HttpEvent, formToken?: string): string | undefined {
  return event.queryStringParameters?.token ?? header(event, 'authorization')?.replace(/^Bearer\s+/i, '') ?? formToken;
}

/**
 * The complaint a tracking link opens. A wrong token looks exactly like a missing complaint
 * (404), so the link reveals nothing about complaints it does not open.
 */
export async function complaintForTrackingLink(
  event: HttpEvent,
  formToken?: string,
): Promise<{ complaint: ComplaintRecord; token: string; language: Language }> {
  const id = event.pathParameters?.id ?? '';
  const token = trackingTokenOf(event, formToken);
  const complaint = COMPLAINT_ID_PATTERN.test(id) ? await getComplaint(id) : undefined;
  if (!complaint || !token || !(await isTrackingTokenValid(complaint.id, complaint.trackingSalt, token)))
    throw new NotFoundError(NOT_FOUND);
  // The complainant's language, unless the page asked for the other one (?lang=).
  const asked = event.queryStringParameters?.lang;
  return { complaint, token, language: isLanguage(asked) ? asked : complaint.language };
}

/** Whether a self-service action came from the tracking page's plain form (not the JSON API). */
export function isFormPost(event: HttpEvent): boolean {
  return /^application\/x-www-form-urlencoded\b/i.test(header(event, 'content-type') ?? '');
}

/** After a form action: back to the tracking page (303), with a notice saying what happened. */
export function backToTracking(complaintId: string, token: string, language: string, notice: string): HttpResult {
  return {
    statusCode: 303,
    headers: {
      location: `${settings().publicBaseUrl}/complaints/${complaintId}?token=${encodeURIComponent(token)}&lang=${language}&notice=${notice}`,
      'cache-control': 'no-store',
    },
    body: '',
  };
}
