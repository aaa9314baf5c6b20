import type { ComplaintRecord } from './complaint';
import type { DeskConfig } from './config';
import { findCategory } from './desk';
import type { ComplaintEvent } from './history';
import { newComplaintId } from './ids';
import type { InvestigationAction } from './steps';

/**
 * Events the platform beside Redress may act on (a post locked, content removed, an account
 * restored), published on the desk's event bus and to its webhooks. Each is made from the history
 * event that records the change, and written in the same transaction (the event outbox), so none
 * is published for a change that did not commit and none is lost when publishing fails.
 *
 * They carry no personal data: no names, addresses, descriptions or staff; the subject's type and
 * reference only where the platform needs them to act.
 */
export const PLATFORM_EVENT_TYPES = [
  'complaint.received',
  'complaint.accepted',
  'complaint.rejected',
  'decision.recorded',
  'subject.lock-requested',
  'review.ruled',
  'complaint.closed',
] as const;
export type PlatformEventType = (typeof PLATFORM_EVENT_TYPES)[number];

/** The version of every detail's schema (docs/events/<type>.v<n>.schema.json); a breaking change is a new version. */
export const PLATFORM_EVENT_VERSION = 1;
/** The EventBridge `source` of every event Redress publishes. */
export const PLATFORM_EVENT_SOURCE = 'redress';

/** What the platform carries out; decided by staff, confirmed back by the platform (POST /integrations/actions). */
export const PLATFORM_ACTIONS = [
  'lock-subject',
  'remove-content',
  'warn-user',
  'restore-account',
  'protect-privacy',
] as const;
export type PlatformAction = (typeof PLATFORM_ACTIONS)[number];

/** What each investigation finding asks the platform to do ('other' is the desk's own work). */
const ACTIONS_OF_FINDING: Record<InvestigationAction, PlatformAction[]> = {
  'remove-content-and-warn': ['remove-content', 'warn-user'],
  'restore-account-and-apologise': ['restore-account'],
  'privacy-measures': ['protect-privacy'],
  other: [],
};

/** The platform actions a set of investigation findings decides, each once, in a fixed order. */
export function platformActionsOf(findings: readonly string[]): PlatformAction[] {
  const wanted = new Set(findings.flatMap((f) => ACTIONS_OF_FINDING[f as InvestigationAction] ?? []));
  return PLATFORM_ACTIONS.filter((action) => wanted.has(action));
}

/** The detail of an event as published: `id` is unique per event (consumers de-duplicate on it). */
export interface PlatformEvent {
  id: string;
  type: PlatformEventType;
  version: number;
  occurredAt: string;
  complaintId: string;
  data: Record<string, unknown>;
}

type CaseFacts = Pick<ComplaintRecord, 'id' | 'number' | 'category' | 'subject' | 'channel'>;

/** The subject as the platform needs it to act: its type and its reference (never its name). */
const subjectOf = (c: CaseFacts) => ({ type: c.subject.type, ...(c.subject.ref ? { ref: c.subject.ref } : {}) });

/**
 * The platform events of a change: given the case as read and the history events the change
 * writes, the events to write beside them. The rules:
 * - `complaint.received` when a complaint is filed (not a repeat joined to an open case);
 * - `complaint.accepted` / `complaint.rejected` on the acceptance decision; an accepted complaint
 *   whose category says `lockSubject` and that names its subject also asks for the subject to be
 *   locked until the ruling (`subject.lock-requested`: at acceptance, not at filing, so that a
 *   filing alone never locks anyone's post);
 * - `decision.recorded` when investigation findings are recorded, with the actions they decide;
 * - `review.ruled` on the final ruling of a review;
 * - `complaint.closed` whenever a case closes, with its outcome.
 */
export function platformEventsOf(
  complaint: CaseFacts,
  written: readonly ComplaintEvent[],
  desk: Pick<DeskConfig, 'categories'>,
  newId: (at: string) => string = newEventId,
): PlatformEvent[] {
  const out: PlatformEvent[] = [];
  const add = (type: PlatformEventType, at: string, data: Record<string, unknown>) =>
    out.push({ id: newId(at), type, version: PLATFORM_EVENT_VERSION, occurredAt: at, complaintId: complaint.id, data });
  for (const event of written) {
    const details = event.details ?? {};
    switch (event.action) {
      case 'complaint.received':
        add('complaint.received', event.at, {
          number: complaint.number,
          category: complaint.category,
          channel: complaint.channel,
          subject: subjectOf(complaint),
        });
        break;
      case 'decision.recorded':
        if (details.step !== 'acceptance') break;
        if (details.decision === 'accept') {
          add('complaint.accepted', event.at, { category: complaint.category, subject: subjectOf(complaint) });
          if (findCategory(desk as DeskConfig, complaint.category)?.lockSubject && complaint.subject.ref)
            add('subject.lock-requested', event.at, { subject: subjectOf(complaint), until: 'ruling' });
        } else if (details.decision === 'reject')
          add('complaint.rejected', event.at, { reason: String(details.reason ?? 'other') });
        break;
      case 'findings.recorded':
        add('decision.recorded', event.at, {
          step: 'investigation',
          subject: subjectOf(complaint),
          actions: platformActionsOf((details.actions as string[] | undefined) ?? []),
        });
        break;
      case 'review.ruled':
        add('review.ruled', event.at, { ruling: details.ruling === 'overturn' ? 'overturn' : 'uphold' });
        break;
      case 'complaint.closed':
        out.push(closedPlatformEvent(complaint.id, String(details.outcome), event.at, newId));
        break;
    }
  }
  return out;
}

/** `complaint.closed`: written by every close of a case, whatever closed it. */
export function closedPlatformEvent(
  complaintId: string,
  outcome: string,
  at: string,
  newId: (at: string) => string = newEventId,
): PlatformEvent {
  return {
    id: newId(at),
    type: 'complaint.closed',
    version: PLATFORM_EVENT_VERSION,
    occurredAt: at,
    complaintId,
    data: { outcome },
  };
}

/**
 * When a failed publish is tried again: 30 s, doubling with each failure, at most an hour apart.
 * An event is never given up (the platform would miss a decision): it waits until the bus takes it.
 */
export function nextPublishTry(attempts: number, now: Date): Date {
  const waitMs = Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
  return new Date(now.getTime() + waitMs);
}

/**
 * What the publisher saw waiting in the outbox past its due time: how many, and how long the
 * oldest has waited since its change (seconds; 0 when none). An event published at its first try
 * never shows here, so any age above a few minutes means the bus has been refusing events.
 */
export function outboxBacklog(queuedAts: readonly string[], now: Date): { waiting: number; oldestSeconds: number } {
  const oldest = Math.min(...queuedAts.map((at) => Date.parse(at)).filter((t) => !Number.isNaN(t)));
  return {
    waiting: queuedAts.length,
    oldestSeconds: Number.isFinite(oldest) ? Math.max(0, Math.round((now.getTime() - oldest) / 1000)) : 0,
  };
}

/** The oldest event waiting this long (seconds) raises the desk's alarm: the platform is not being told. */
export const OUTBOX_ALARM_SECONDS = 15 * 60;

/** An event id: time-ordered and random (a ULID), unique without coordination. */
export function newEventId(at: string): string {
  return newComplaintId(new Date(at));
}

/** The decided actions of a case and which the platform confirmed, from its history. */
export interface ActionStatus {
  action: PlatformAction;
  decidedAt: string;
  confirmedAt?: string;
  reference?: string;
}

/**
 * The platform actions decided on a case (its latest findings, and the lock asked for at
 * acceptance when its category locks subjects) and, for each, the platform's confirmation
 * (`action.confirmed`) if one came after it was decided.
 */
export function actionStatuses(events: readonly ComplaintEvent[], locksSubject: boolean): ActionStatus[] {
  const findings = [...events].reverse().find((e) => e.action === 'findings.recorded');
  const accepted = events.find(
    (e) => e.action === 'decision.recorded' && e.details?.step === 'acceptance' && e.details?.decision === 'accept',
  );
  const decided = new Map<PlatformAction, string>();
  if (locksSubject && accepted) decided.set('lock-subject', accepted.at);
  if (findings)
    for (const action of platformActionsOf((findings.details?.actions as string[] | undefined) ?? []))
      decided.set(action, findings.at);
  return [...decided].map(([action, decidedAt]) => {
    const confirmation = [...events]
      .reverse()
      .find((e) => e.action === 'action.confirmed' && e.details?.action === action && e.at >= decidedAt);
    return {
      action,
      decidedAt,
      ...(confirmation
        ? {
            confirmedAt: confirmation.at,
            ...(confirmation.details?.reference ? { reference: String(confirmation.details.reference) } : {}),
          }
        : {}),
    };
  });
}
