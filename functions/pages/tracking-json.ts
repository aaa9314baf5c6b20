import type { ComplaintRecord } from '../domain/complaint';
import { complainantEvidence } from '../domain/evidence-policy';
import { complainantHistory, type ComplaintEvent } from '../domain/history';
import type { Language } from '../domain/language';
import { OUTCOME_LABELS, STATUS_LABELS } from '../domain/lifecycle';
import { caseStanding } from '../domain/standing';
import { complainantMessages } from '../domain/thread';

/** The complainant's view of their case as JSON (GET /complaints/{id} asked for JSON): what the tracking page shows. */
export function trackingJson(
  complaint: ComplaintRecord,
  events: ComplaintEvent[],
  language: Language,
  merged: Parameters<typeof complainantMessages>[1],
  mergedInto?: { number: string; trackingUrl: string },
) {
  return {
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
    ...(complaint.legalHold ? { legalHold: { reason: complaint.legalHold.reason, at: complaint.legalHold.at } } : {}),
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
  };
}
