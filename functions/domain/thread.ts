import type { ComplaintEvent, EventAction } from './history';
import type { Bilingual } from './language';
import type { MessageAttachment } from './steps';

/**
 * The case's conversation as one time-ordered thread, read from its history. Staff see every
 * side: both parties' messages, the desk's, internal notes (never sent, never shown outside),
 * evidence and decisions. The complainant sees their side only (their messages, the desk's to
 * them, and what they were told of decisions): never a note, never the respondent's side. The
 * respondent sees only the desk's messages to them and their own answers.
 */

export type ThreadSide = 'staff' | 'complainant' | 'respondent';
export type ThreadKind = 'message' | 'note' | 'evidence' | 'decision';
export type ThreadParty = 'desk' | 'complainant' | 'respondent' | 'system';

export interface ThreadEntry {
  at: string;
  action: EventAction;
  kind: ThreadKind;
  from: ThreadParty;
  /** For the desk's messages: to whom. */
  to?: 'complainant' | 'respondent';
  /** The staff member who wrote it (staff side only). */
  by?: string;
  /** The full text as written (a mail's reply whole, without its quoted history). */
  text?: string;
  /** A mail or the tracking page, for a party's message. */
  channel?: string;
  attachments?: MessageAttachment[];
  /** With a message that awaits an answer: until when. */
  awaitUntil?: string;
  /** Evidence: the file's name. */
  name?: string;
  /** Where a merged case went, or came from. */
  case?: { id: string; number: string };
  /** On a surviving case: the merged case this entry was written on. */
  fromCase?: { id: string; number: string };
}

const PARTY_MESSAGES: Partial<Record<EventAction, ThreadParty>> = {
  'complainant.replied': 'complainant',
  'complainant.replied-after-closing': 'complainant',
  'complainant.wrote': 'complainant',
  'respondent.wrote': 'respondent',
  'information.provided': 'complainant',
  'statement.received': 'respondent',
};

const DECISIONS: readonly EventAction[] = [
  'decision.recorded',
  'information.requested',
  'statement.requested',
  'findings.recorded',
  'reply.sent',
  'survey.answered',
  'review.requested',
  'review.ruled',
  'message.answered',
  'message.unanswered',
  'complaint.merged',
  'complaint.merged-in',
  'complaint.withdrawn',
  'complaint.closed',
];

const str = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

function entryOf(event: ComplaintEvent): ThreadEntry | undefined {
  const d = (event.details ?? {}) as Record<string, unknown>;
  const base = { at: event.at, action: event.action };
  if (event.action === 'message.to-complainant' || event.action === 'message.to-respondent')
    return {
      ...base,
      kind: 'message',
      from: 'desk',
      to: event.action === 'message.to-complainant' ? 'complainant' : 'respondent',
      by: str(d.by),
      text: str(d.text),
      attachments: (d.attachments as MessageAttachment[] | undefined) ?? [],
      awaitUntil: str(d.awaitUntil),
    };
  const party = PARTY_MESSAGES[event.action];
  if (party)
    return {
      ...base,
      kind: 'message',
      from: party,
      text: str(d.text) ?? str(d.answer) ?? str(d.statement),
      channel: str(d.channel) ?? 'web',
      ...(Array.isArray(d.attachments) && d.attachments.length
        ? { attachments: d.attachments as MessageAttachment[] }
        : {}),
    };
  if (event.action === 'staff.noted') return { ...base, kind: 'note', from: 'desk', by: str(d.by), text: str(d.note) };
  if (event.action === 'evidence.added')
    return {
      ...base,
      kind: 'evidence',
      from: d.party === 'respondent' ? 'respondent' : d.uploadedBy ? 'desk' : 'complainant',
      name: str(d.name),
    };
  if (DECISIONS.includes(event.action)) {
    const note = d.complainantNote as Bilingual | undefined;
    const text =
      str(d.findings) ??
      str(d.reply) ??
      str(d.question) ??
      str(d.reason) ??
      str(d.note) ??
      (note ? note.en : undefined);
    return {
      ...base,
      kind: 'decision',
      from: event.actor === 'system' ? 'system' : 'desk',
      by: str(d.decidedBy),
      text,
      ...(d.case ? { case: d.case as { id: string; number: string } } : {}),
    };
  }
  return undefined;
}

/** Whether a side may see an entry at all. */
function visibleTo(side: ThreadSide, event: ComplaintEvent, entry: ThreadEntry): boolean {
  if (side === 'staff') return true;
  if (entry.kind === 'note') return false;
  if (side === 'respondent')
    return (
      (entry.kind === 'message' && (entry.to === 'respondent' || entry.from === 'respondent')) ||
      event.action === 'statement.requested'
    );
  // The complainant: their messages and the desk's to them, and what they were told.
  if (entry.from === 'respondent' || entry.to === 'respondent') return false;
  if (event.action === 'statement.requested') return false;
  if (entry.kind === 'decision') return !!event.details?.complainantNote;
  return true;
}

/** The thread a side sees, oldest first; a complainant reads a decision as they were told it (`complainantNote`), in their language. */
export function threadOf(
  events: readonly ComplaintEvent[],
  side: ThreadSide,
  language: 'zh-CN' | 'en' = 'en',
): ThreadEntry[] {
  const entries: ThreadEntry[] = [];
  for (const event of events) {
    const entry = entryOf(event);
    if (!entry || !visibleTo(side, event, entry)) continue;
    if (side !== 'staff') {
      delete entry.by;
      if (entry.kind === 'decision') {
        const note = event.details?.complainantNote as Bilingual | undefined;
        entry.text = side === 'complainant' ? note?.[language] : entry.text;
      }
    }
    entries.push(entry);
  }
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * The complainant's side of the conversation on their tracking link: their messages and the
 * desk's to them, on this case and on every case of theirs merged into it (each marked with the
 * merged case's number), oldest first. Never a note, never the respondent's side.
 */
export function complainantMessages(
  events: readonly ComplaintEvent[],
  merged: readonly { id: string; number: string; events: readonly ComplaintEvent[] }[],
  language: 'zh-CN' | 'en',
): ThreadEntry[] {
  return [
    ...threadOf(events, 'complainant', language),
    ...merged.flatMap((m) =>
      threadOf(m.events, 'complainant', language).map((entry) => ({
        ...entry,
        fromCase: { id: m.id, number: m.number },
      })),
    ),
  ]
    .filter((entry) => entry.kind === 'message')
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
