import type { FieldError } from './field-errors';
import type { Bilingual, Language } from './language';
import { seesEverything, type StaffMember } from './staff';

/**
 * Canned replies: shared texts staff start a message or a reply from, each a title and a zh-CN
 * and an English text with placeholders, filled for the case in the recipient's language.
 * Supervisors keep their teams' (scope = the team); managers and operators the desk's (scope
 * `desk`). The desk config seeds a few, offered to everyone and changed only in the config.
 */

export const PLACEHOLDERS = ['number', 'name', 'deadline', 'category', 'holder'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export const DESK_SCOPE = 'desk';
export const CANNED_LIMITS = { title: 120, text: 5000, perScope: 200 } as const;

export interface CannedReply {
  id: string;
  /** `desk`, or a team's name. */
  scope: string;
  title: string;
  text: Bilingual;
  updatedBy?: string;
  updatedAt?: string;
  /** From the desk config: offered to all, changed only there. */
  seeded?: boolean;
}

/** The placeholders a text names (`{word}`), known or not. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(/\{([^{}\s]*)\}/g)].map((m) => m[1]!);
}

const str = (value: unknown) =>
  (typeof value === 'string' ? value : Array.isArray(value) ? String(value[value.length - 1] ?? '') : '').trim();

/** Reads a canned reply as posted (`scope`, `title`, `textZh`, `textEn`), every bad field named. */
export function parseCannedReply(
  body: Record<string, unknown>,
  language: Language,
): { ok: true; reply: Omit<CannedReply, 'id'> } | { ok: false; errors: FieldError[] } {
  const zh = language === 'zh-CN';
  const errors: FieldError[] = [];
  const scope = str(body.scope) || DESK_SCOPE;
  const title = str(body.title);
  if (!title || title.length > CANNED_LIMITS.title)
    errors.push({
      path: 'title',
      message: zh
        ? `必填（最多 ${CANNED_LIMITS.title} 个字符）`
        : `is required (at most ${CANNED_LIMITS.title} characters)`,
    });
  const text: Bilingual = { 'zh-CN': str(body.textZh), en: str(body.textEn) };
  for (const [path, value] of [
    ['textZh', text['zh-CN']],
    ['textEn', text.en],
  ] as const) {
    if (!value || value.length > CANNED_LIMITS.text) {
      errors.push({
        path,
        message: zh
          ? `必填（最多 ${CANNED_LIMITS.text} 个字符）`
          : `is required (at most ${CANNED_LIMITS.text} characters)`,
      });
      continue;
    }
    const unknown = placeholdersIn(value).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
    if (unknown.length)
      errors.push({
        path,
        message: zh
          ? `未知的占位符：${unknown.map((u) => `{${u}}`).join('、')}；可用：${PLACEHOLDERS.map((p) => `{${p}}`).join('、')}`
          : `unknown placeholder(s): ${unknown.map((u) => `{${u}}`).join(', ')}; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
      });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, reply: { scope, title, text } };
}

/** Whether a member keeps the replies of a scope: the desk's for managers and operators, a team's for its supervisor too. */
export function mayKeepCannedReplies(member: StaffMember, scope: string): boolean {
  if (seesEverything(member)) return true;
  return scope !== DESK_SCOPE && member.teams[scope] === 'supervisor';
}

/** The scopes a member reads replies of on a case of `team`: the desk's and that team's. */
export const scopesFor = (team: string | undefined) => [DESK_SCOPE, ...(team ? [team] : [])];

/** The text in the recipient's language with every placeholder filled (a missing value leaves it empty). */
export function fillCannedReply(
  reply: Pick<CannedReply, 'text'>,
  language: Language,
  values: Partial<Record<Placeholder, string>>,
): string {
  return reply.text[language].replace(/\{([a-z]+)\}/g, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? (values[name as Placeholder] ?? '') : whole,
  );
}

/** The canned replies a desk starts with (its config may replace them). */
export const DEFAULT_CANNED_REPLIES = [
  {
    title: 'Need more detail / 请补充细节',
    text: {
      'zh-CN':
        '{name}，您好：关于投诉 {number}（{category}），请补充具体的时间、链接或截图，以便我们核实。我们会在 {deadline} 前继续处理。',
      en: 'Dear {name}, about complaint {number} ({category}): please send the exact time, links or screenshots so we can check. We will go on by {deadline}.',
    },
  },
  {
    title: 'Working on it / 正在处理',
    text: {
      'zh-CN': '{name}，您好：投诉 {number} 正由 {holder} 处理，预计在 {deadline} 前给您答复。',
      en: 'Dear {name}, complaint {number} is being handled by {holder}; expect an answer by {deadline}.',
    },
  },
];
