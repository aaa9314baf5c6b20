import type { Bilingual, Language } from './language';

/** Every change to a complaint is one of these, appended, never rewritten. */
export const EVENT_ACTIONS = [
  'complaint.received',
  'workflow.started',
  'acknowledgement.sent',
  'task.assigned',
  'decision.recorded',
  'deadline.missed',
] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

export interface ComplaintEvent {
  at: string;
  actor: string;
  action: EventAction;
  details?: Record<string, unknown>;
}

/** What the complainant sees of each event; actions missing here are staff-only. */
const COMPLAINANT_LABELS: Partial<Record<EventAction, Bilingual>> = {
  'complaint.received': { 'zh-CN': '投诉已提交', en: 'Complaint filed' },
  'acknowledgement.sent': { 'zh-CN': '已发送受理确认邮件', en: 'Acknowledgement emailed' },
  'task.assigned': { 'zh-CN': '已分派处理人员', en: 'Assigned to a handler' },
  'decision.recorded': { 'zh-CN': '已作出处理决定', en: 'Decision made' },
  'deadline.missed': { 'zh-CN': '处理超时，已上报', en: 'Deadline missed; escalated' },
};

export const ACTOR_LABELS: Record<string, Bilingual> = {
  system: { 'zh-CN': '系统', en: 'System' },
  complainant: { 'zh-CN': '投诉人', en: 'Complainant' },
  handler: { 'zh-CN': '处理人员', en: 'Handler' },
};

export interface ComplainantHistoryEntry {
  at: string;
  action: EventAction;
  label: string;
  detail?: string;
}

/**
 * The complainant's view of the history: no staff addresses, no internal notes, only what the
 * complainant wrote or was told.
 */
export function complainantHistory(events: readonly ComplaintEvent[], language: Language): ComplainantHistoryEntry[] {
  const entries: ComplainantHistoryEntry[] = [];
  for (const event of events) {
    const label = COMPLAINANT_LABELS[event.action];
    if (!label) continue;
    const detail = typeof event.details?.complainantNote === 'object' && event.details.complainantNote !== null
      ? (event.details.complainantNote as Bilingual)[language]
      : undefined;
    entries.push({ at: event.at, action: event.action, label: label[language], ...(detail ? { detail } : {}) });
  }
  return entries;
}
