import { randomBytes } from 'node:crypto';
import {
  CANNED_LIMITS,
  DEFAULT_CANNED_REPLIES,
  DESK_SCOPE,
  fillCannedReply,
  mayKeepCannedReplies,
  parseCannedReply,
  scopesFor,
  type CannedReply,
  type Placeholder,
} from '../domain/canned-replies';
import type { ComplaintRecord } from '../domain/complaint';
import type { DeskConfig } from '../domain/config';
import { findCategory } from '../domain/desk';
import type { Language } from '../domain/language';
import type { MessageRecipient } from '../domain/messages';
import { seesEverything, teamOfCategory, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { ConflictError, StaffForbiddenError } from '../lib/problems';
import { settings } from '../lib/settings';
import { formatTime } from '../pages/layout';
import { deleteCannedReply, listCannedReplies, putCannedReply } from '../store/canned-replies';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

/** The desk config's replies: offered to everyone, kept in the config. */
export function seededReplies(desk: DeskConfig): CannedReply[] {
  return (desk.cannedReplies ?? DEFAULT_CANNED_REPLIES).map((reply, index) => ({
    id: `seed-${index + 1}`,
    scope: DESK_SCOPE,
    title: reply.title,
    text: reply.text,
    seeded: true,
  }));
}

/** The scopes a member keeps: the desk's and every team's for managers and operators, their own teams' for a supervisor. */
function keptScopes(member: StaffMember, desk: DeskConfig): string[] {
  if (seesEverything(member)) return [DESK_SCOPE, ...Object.keys(desk.teams)];
  return Object.entries(member.teams)
    .filter(([, place]) => place === 'supervisor')
    .map(([team]) => team);
}

/** What /staff/canned-replies shows a member: the seeded replies, and those of every scope they read or keep. */
export async function cannedRepliesFor(member: StaffMember) {
  const { desk } = settings();
  const readable = [...new Set([DESK_SCOPE, ...Object.keys(member.teams), ...keptScopes(member, desk)])];
  const stored = (await Promise.all(readable.map(listCannedReplies))).flat();
  return { replies: [...seededReplies(desk), ...stored], keeps: keptScopes(member, desk) };
}

/** The replies offered on a case: seeded, the desk's and the case team's. */
export async function cannedRepliesForCase(complaint: ComplaintRecord): Promise<CannedReply[]> {
  const { desk } = settings();
  const team = teamOfCategory(desk, complaint.category);
  return [...seededReplies(desk), ...(await Promise.all(scopesFor(team).map(listCannedReplies))).flat()];
}

/**
 * Saves a reply (`id` to replace one): an unknown placeholder, or a bad field, is refused by
 * name; a scope the member does not keep is forbidden.
 */
export async function saveCannedReply(
  member: StaffMember,
  body: Record<string, unknown>,
  language: Language,
): Promise<CannedReply> {
  const { desk } = settings();
  const parsed = parseCannedReply(body, language);
  if (!parsed.ok) throw new ValidationError(parsed.errors);
  const { scope } = parsed.reply;
  if (scope !== DESK_SCOPE && !desk.teams[scope])
    throw new ValidationError([{ path: 'scope', message: USE_CASE_TEXTS.cannedNoSuchTeam[language] }]);
  if (!mayKeepCannedReplies(member, scope)) throw new StaffForbiddenError();
  const given = typeof body.id === 'string' && /^[a-z0-9-]{6,40}$/.test(body.id) ? body.id : undefined;
  const existing = await listCannedReplies(scope);
  if (!given && existing.length >= CANNED_LIMITS.perScope)
    throw new ConflictError(
      'urn:redress:problem:canned-replies-full',
      USE_CASE_TEXTS.cannedRepliesFull(CANNED_LIMITS.perScope),
    );
  const reply: CannedReply = {
    ...parsed.reply,
    id: given ?? randomBytes(8).toString('hex'),
    updatedBy: member.email,
    updatedAt: currentTime().toISOString(),
  };
  await putCannedReply(reply);
  return reply;
}

export async function removeCannedReply(member: StaffMember, scope: string, id: string): Promise<void> {
  if (!mayKeepCannedReplies(member, scope)) throw new StaffForbiddenError();
  await deleteCannedReply(scope, id);
}

/**
 * A canned reply filled for this case and recipient, in the recipient's language: the
 * complainant's own; the respondent (whose language the desk does not know) gets both, and never
 * the complainant's name.
 */
export async function filledCannedReply(
  complaint: ComplaintRecord,
  replyId: string,
  to: MessageRecipient,
): Promise<string | undefined> {
  const { desk } = settings();
  const reply = (await cannedRepliesForCase(complaint)).find((r) => r.id === replyId);
  if (!reply) return undefined;
  const values = (language: Language): Partial<Record<Placeholder, string>> => ({
    number: complaint.number,
    name: to === 'complainant' ? complaint.complainant.name : USE_CASE_TEXTS.cannedRespondentName[language],
    deadline: complaint.deadlineAt ? formatTime(complaint.deadlineAt, language, desk.timeZone) : '',
    category: findCategory(desk, complaint.category)?.name[language] ?? complaint.category,
    holder: complaint.handler ?? complaint.assignee ?? '',
  });
  if (to === 'complainant') return fillCannedReply(reply, complaint.language, values(complaint.language));
  return `${fillCannedReply(reply, 'zh-CN', values('zh-CN'))}\n\n${fillCannedReply(reply, 'en', values('en'))}`;
}
