import middy from '@middy/core';
import { trackingViewOf } from '../app/tracking-view';
import { complainantEvidence } from '../domain/evidence-policy';
import { complainantHistory } from '../domain/history';
import { complainantMessages } from '../domain/thread';
import { caseStanding } from '../domain/standing';
import { OUTCOME_LABELS, STATUS_LABELS } from '../domain/lifecycle';
import { html, json, problemDetails, wantsJson, type HttpEvent, type HttpResult } from '../lib/http';
import { complaintForTrackingLink } from './shared/tracking-auth';
import { settings } from '../lib/settings';
import { trackingPage } from '../pages/tracking-page';
import { logContext } from '../lib/log';

/**
 * GET /complaints/{id}?token=…: the complainant's view, as JSON when asked for JSON and as a
 * page otherwise. A wrong token looks exactly like a missing complaint.
 */
async function trackComplaint(event: HttpEvent): Promise<HttpResult> {
  const { complaint, token, language } = await complaintForTrackingLink(event);
  const { events, merged, canRequestReview, mergedInto } = await trackingViewOf(complaint);
  if (wantsJson(event)) {
    return json(
      200,
      {
        id: complaint.id,
        number: complaint.number,
        status: complaint.status,
        statusLabel: STATUS_LABELS[complaint.status][language],
        ...(complaint.currentStep ? { currentStep: complaint.currentStep } : {}),
        ...(complaint.breached ? { overdue: true } : {}),
        ...(complaint.outcome
          ? {
              outcome: complaint.outcome,
              outcomeLabel: OUTCOME_LABELS[complaint.outcome][language],
              closedAt: complaint.closedAt,
            }
          : {}),
        ...(complaint.satisfaction ? { satisfaction: complaint.satisfaction } : {}),
        ...(mergedInto ? { mergedInto } : {}),
        ...(complaint.finalRulingAt ? { finalRulingAt: complaint.finalRulingAt } : {}),
        standing: caseStanding(complaint, events),
        ...(complaint.erasureDueAt
          ? { erasureRequestedAt: complaint.erasureRequestedAt, erasureDueAt: complaint.erasureDueAt }
          : {}),
        ...(complaint.legalHold
          ? { legalHold: { reason: complaint.legalHold.reason, at: complaint.legalHold.at } }
          : {}),
        language,
        receivedAt: complaint.receivedAt,
        updatedAt: complaint.updatedAt,
        complaint: {
          channel: complaint.channel,
          category: complaint.category,
          subject: complaint.subject,
          description: complaint.description,
          desiredOutcome: complaint.desiredOutcome,
          occurredAt: complaint.occurredAt,
          contactHistory: complaint.contactHistory,
        },
        history: complainantHistory(events, language),
        // The complainant's side of the conversation (with their merged cases'): never a note, never the respondent's side.
        messages: complainantMessages(events, merged, language),
        // Names only: the complainant sees what they sent, never a download link.
        evidence: complainantEvidence(events, merged).map(({ name, contentType, size, addedAt }) => ({
          name,
          contentType,
          size,
          addedAt,
        })),
      },
      { 'content-language': language },
    );
  }
  return html(
    200,
    trackingPage({
      complaint,
      events,
      merged,
      language,
      config: settings().desk,
      selfUrl: `?token=${encodeURIComponent(token)}`,
      token,
      canRequestReview,
      ...(mergedInto ? { mergedInto } : {}),
      notice: event.queryStringParameters?.notice,
      confirmWithdrawal: event.queryStringParameters?.confirm === 'withdrawal',
      confirmErasure: event.queryStringParameters?.confirm === 'erasure',
    }),
    { 'content-language': language },
  );
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails()).handler(trackComplaint);
