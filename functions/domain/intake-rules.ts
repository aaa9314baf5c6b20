import { createHash } from 'node:crypto';
import type { ComplaintIntake, ComplaintRecord } from './complaint';
import { isOpen } from './lifecycle';
import type { DeskConfig, IntakeConfig, RefusalRuleConfig } from './config';
import type { Bilingual } from './language';

/**
 * The intake rules, as plain functions over what was filed:
 *
 * - out of scope (社区不接受下列情况投诉): refused at once, with the reason and where else to go;
 * - private data or a personal attack in the complaint's own text (暴露个人隐私、人身攻击): held
 *   for review (`flagged`), never shown to the respondent;
 * - the same complainant on the same subject while the first case is open (重复投诉): linked to it;
 * - a complaint on a matter that already has a final ruling (最终裁定后仍就前次投诉的内容再次投诉):
 *   malicious, answered with a ban of 3, 7, 30 days, then permanent (3-30天禁言…永久禁言);
 * - priority (有附"沟通情况"的优先处理; privacy & security first).
 *
 * Built-in phrase lists live here, not in the desk config: the config travels in a Lambda
 * environment variable (4 KB in all), so it only adds rules or switches these off by id.
 */

export type RefusalRule = RefusalRuleConfig;

export const BUILT_IN_REFUSALS: readonly RefusalRule[] = [
  {
    id: 'offline-dispute',
    phrases: [
      '线下聚餐',
      '线下聚会',
      '线下活动',
      '线下见面',
      '网友聚会',
      '网友聚餐',
      '聚餐时',
      '饭钱',
      '现实生活中',
      '现实中的矛盾',
      '私人恩怨',
      '私下借钱',
      'offline meetup',
      'offline meet-up',
      'at the meetup',
      'in real life',
      'at a dinner',
      'at the dinner',
      'met in person',
      'private loan',
    ],
    reason: {
      'zh-CN': '会员在现实生活及线下活动中的矛盾、个人品德问题，不属于本平台的受理范围（投诉仅限本平台内的事务）。',
      en: 'Disputes between members in real life or at offline events, and matters of personal character, are outside what this desk handles: we only handle what happens on this platform.',
    },
    whereElse: {
      'zh-CN':
        '建议先与对方友好协商；涉及财物纠纷可向当地人民调解委员会或人民法院求助，涉及人身安全请联系公安机关（110）。',
      en: 'Try to settle it with the other person first; for money disputes turn to a local mediation committee or a court, and for your safety to the police (110).',
    },
  },
  {
    id: 'moderation-with-grounds',
    subjectTypes: ['moderator'],
    phrases: [
      '按版规',
      '按照版规',
      '依照版规',
      '根据版规',
      '依据版规',
      '版规规定',
      '按论坛规定',
      '依照论坛规定',
      'under the forum rules',
      'according to the forum rules',
      'citing the rules',
      'for breaking the rules',
    ],
    // A complainant who disputes the grounds is not complaining about normal moderation.
    unlessPhrases: [
      '从未',
      '没有违反',
      '并未违反',
      '没有违规',
      '并未违规',
      '不属实',
      '没有任何说明',
      '没有说明',
      '理由不成立',
      'never',
      'did not break',
      "didn't break",
      'no reason',
      'not true',
      'without reason',
    ],
    reason: {
      'zh-CN': '版主、管理员依照版规并说明理由的正常管理操作（关闭、隔离、删除帖子，扣分、警告、禁言）不接受投诉。',
      en: 'Normal moderation under the forum rules with a stated reason (closing, moving or deleting posts; points, warnings, muting) is not open to complaint.',
    },
    whereElse: {
      'zh-CN': '如认为版规本身不合理，可在“网友之家”以【网友咨询】发帖提出建议。',
      en: 'If you think the rule itself is wrong, suggest a change in the members’ help forum (tag it “question”).',
    },
  },
  {
    id: 'not-this-platform',
    phrases: [
      '其他网站',
      '别的网站',
      '其他平台',
      '别的平台',
      '另一个论坛',
      '别的论坛',
      'on another website',
      'on another site',
      'on another platform',
      'on a different platform',
      'on another forum',
      'outside this platform',
    ],
    // "Reposted on another site" is still about a post here.
    unlessPhrases: [
      '本站',
      '本论坛',
      '本平台',
      '转载',
      '转发到',
      'this forum',
      'this site',
      'this platform',
      'reposted',
      'copied to',
    ],
    reason: {
      'zh-CN': '本平台以外的网络纠纷不属于本平台的受理范围。',
      en: 'Disputes on other websites or platforms are outside what this desk handles.',
    },
    whereElse: {
      'zh-CN': '请向事发平台投诉；违法和不良信息可向中央网信办违法和不良信息举报中心举报（12377.cn，电话 12377）。',
      en: 'Complain to the platform where it happened; illegal content can be reported to the national reporting centre (12377.cn, phone 12377).',
    },
  },
];

/** Words a complainant uses against a person (人身攻击、威胁恐吓、不文明用语), not words they report. */
export const BUILT_IN_ATTACK_PHRASES: readonly string[] = [
  '打电话骂',
  '大家去骂',
  '大家一起骂',
  '一起骂他',
  '一起骂她',
  '去死',
  '傻逼',
  '傻b',
  '傻x',
  '脑残',
  '弄死',
  '打死他',
  '打死她',
  '全家死',
  '贱人',
  '狗东西',
  '畜生',
  '人渣',
  '废物一个',
  'kill yourself',
  'go die',
  'everyone call him',
  'everyone call her',
  'harass him',
  'harass her',
  'moron',
  'retard',
  'scumbag',
  'piece of garbage',
];

export type FlagReason = 'phone-number' | 'id-number' | 'home-address' | 'personal-attack';

export const FLAG_REASON_LABELS: Record<FlagReason, Bilingual> = {
  'phone-number': { 'zh-CN': '含他人电话号码', en: "Contains someone's phone number" },
  'id-number': { 'zh-CN': '含身份证号码', en: 'Contains an identity card number' },
  'home-address': { 'zh-CN': '含家庭住址', en: 'Contains a home address' },
  'personal-attack': { 'zh-CN': '含人身攻击或煽动骚扰', en: 'Contains a personal attack or incites harassment' },
};

/** The complainant's own words: what a respondent would read, and where a rule can match. */
function writtenText(intake: ComplaintIntake): string {
  return [intake.subject.name, intake.description, intake.desiredOutcome, intake.contactHistory]
    .filter(Boolean)
    .join('\n');
}

const normalise = (text: string) => text.normalize('NFKC').toLowerCase();

function contains(text: string, phrases: readonly string[] | undefined): string | undefined {
  return phrases?.find((phrase) => text.includes(normalise(phrase)));
}

export function activeRefusals(config: IntakeConfig): RefusalRule[] {
  const builtIn = config.builtInRules
    ? BUILT_IN_REFUSALS.filter((rule) => !config.disabledRules.includes(rule.id))
    : [];
  return [...builtIn, ...config.refusals];
}

export interface Refusal {
  rule: string;
  matched: string;
  reason: Bilingual;
  whereElse: Bilingual;
}

/** The first refusal rule the complaint falls under, or undefined when it is in scope. */
export function findRefusal(intake: ComplaintIntake, config: IntakeConfig): Refusal | undefined {
  const text = normalise(writtenText(intake));
  for (const rule of activeRefusals(config)) {
    if (rule.subjectTypes && !rule.subjectTypes.includes(intake.subject.type)) continue;
    const matched = contains(text, rule.phrases);
    if (!matched || contains(text, rule.unlessPhrases)) continue;
    return { rule: rule.id, matched, reason: rule.reason, whereElse: rule.whereElse };
  }
  return undefined;
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

// Mainland mobile numbers, spaced or dashed (138 1234 5678), and landlines with an area code.
const MOBILE = /(?<![\d])1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![\d])/g;
const LANDLINE = /(?<![\d])0\d{2,3}-\d{7,8}(?![\d])/g;
// Resident identity card (GB 11643): 6-digit area, birth date, sequence, check digit.
const ID_CARD = /(?<![0-9a-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dx](?![0-9a-z])/gi;
const ADDRESS_ZH = [
  /[\u4e00-\u9fa5]{1,12}(?:小区|花园|公寓|新村|家园|大厦|苑)\s*\d+\s*(?:栋|幢|号楼|单元|号)/,
  /\d+\s*(?:栋|幢|号楼)\s*(?:\d+\s*单元\s*)?\d+\s*(?:室|号)/,
  /[\u4e00-\u9fa5]{2,}(?:路|街|巷|弄)\s*\d+\s*号/,
];
const ADDRESS_EN =
  /\b(?:lives?|living|resides?)\s+(?:at|on)\s+\d{1,5}\s+[a-z][a-z .'-]{1,40}\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|close|court|way)\b/i;

/** GB 11643 check digit, so an order number of 18 digits is not taken for an identity card. */
export function isIdCardNumber(candidate: string): boolean {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const checks = '10X98765432';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(candidate[i]) * weights[i]!;
  return checks[sum % 11] === candidate[17]!.toUpperCase();
}

/**
 * Why the complaint's own text must be held for review, if it must: it exposes someone's phone,
 * identity card or home address, or attacks or incites against a person. The complainant's own
 * phone number (given in `complainant.phone`) is not someone else's private data.
 */
export function findFlags(intake: ComplaintIntake, config: IntakeConfig): FlagReason[] {
  const raw = writtenText(intake);
  const text = normalise(raw);
  const reasons = new Set<FlagReason>();
  const own = intake.complainant.phone ? digitsOf(intake.complainant.phone) : undefined;
  for (const match of [...raw.matchAll(MOBILE), ...raw.matchAll(LANDLINE)]) {
    const digits = digitsOf(match[0]);
    if (!own?.endsWith(digits)) reasons.add('phone-number');
  }
  for (const match of raw.matchAll(ID_CARD)) if (isIdCardNumber(match[0])) reasons.add('id-number');
  if (ADDRESS_ZH.some((pattern) => pattern.test(raw)) || ADDRESS_EN.test(raw)) reasons.add('home-address');
  const attacks = [
    ...(config.builtInRules && !config.disabledRules.includes('personal-attack') ? BUILT_IN_ATTACK_PHRASES : []),
    ...config.attackPhrases,
  ];
  if (contains(text, attacks)) reasons.add('personal-attack');
  return [...reasons];
}

// ---- What the other party may read

const EMAIL = /[^\s@<>"'(),;:，。；：]+@[^\s@<>"'(),;:，。；：]+\.[^\s@<>"'(),;:，。；：]+/g;
const INTERNATIONAL_PHONE = /\+\d[\d ()-]{6,}\d/g;
const WITHHELD = { 'zh-CN': '〔已隐去〕', en: '[withheld]' } as const;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Text of a complaint as the other party (the respondent) may read it: the complainant's name,
 * email and phone, and every phone number, email address and identity card number, withheld.
 * Staff keep the original.
 */
export function withheldFromRespondent(
  text: string,
  complainant: { name?: string; email?: string; phone?: string },
  language: 'zh-CN' | 'en',
): string {
  const mark = WITHHELD[language];
  let out = text
    .replace(EMAIL, mark)
    .replace(ID_CARD, mark)
    .replace(MOBILE, mark)
    .replace(LANDLINE, mark)
    .replace(INTERNATIONAL_PHONE, mark);
  const own = complainant.phone ? digitsOf(complainant.phone) : '';
  // The complainant's own number in any spacing, even where it is not a mainland pattern.
  if (own.length >= 5) out = out.replace(new RegExp(own.split('').join('[\\s()-]*'), 'g'), mark);
  const name = complainant.name?.trim();
  if (name && name.length >= 2) out = out.replace(new RegExp(escapeRegExp(name), 'gi'), mark);
  return out;
}

// ---- Identity of a complainant and of a matter

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The complainant as the indexes know them: a hash of the email, so no address sits in a key. */
export function complainantKeyOf(contact: string | { email?: string; phone?: string }): string {
  // A complainant is known by their address, or (entered by staff with no address) their mobile number.
  const key = typeof contact === 'string' ? contact : (contact.email ?? contact.phone ?? '');
  return sha256(`complainant:${key.trim().toLowerCase()}`);
}

/**
 * The matter complained about (the subject), comparable across complaints: its type and link or
 * id, normalised (case, scheme, `www.`, trailing slash, fragment). With neither link nor name,
 * the description stands in, so identical resubmissions still match.
 */
export function subjectKeyOf(intake: Pick<ComplaintIntake, 'subject' | 'description'>): string {
  const { type, ref, name } = intake.subject;
  let identity: string;
  if (ref) {
    identity = ref
      .trim()
      .toLowerCase()
      .replace(/#.*$/, '')
      .replace(/^https?:\/\/(www\.)?/, '')
      .replace(/\/+$/, '');
  } else if (name) {
    identity = `name:${normalise(name).replace(/\s+/g, ' ').trim()}`;
  } else {
    identity = `text:${normalise(intake.description).replace(/\s+/g, ' ').trim()}`;
  }
  return sha256(`subject:${type}:${identity}`);
}

// ---- Duplicates, malice and bans

export interface EarlierComplaint {
  id: string;
  number: string;
  receivedAt: string;
  open: boolean;
  finalRulingAt?: string;
}

/** The open case this filing repeats (same complainant, same subject, within the window), if any. */
/** A stored complaint as the duplicate and malice rules see it. */
export function asEarlierComplaint(complaint: ComplaintRecord): EarlierComplaint {
  return {
    id: complaint.id,
    number: complaint.number,
    receivedAt: complaint.receivedAt,
    open: isOpen(complaint.status),
    ...(complaint.finalRulingAt ? { finalRulingAt: complaint.finalRulingAt } : {}),
  };
}

export function findDuplicateOf(
  earlier: EarlierComplaint | undefined,
  now: Date,
  config: IntakeConfig,
): EarlierComplaint | undefined {
  if (!earlier?.open) return undefined;
  const age = now.getTime() - new Date(earlier.receivedAt).getTime();
  return age <= config.duplicateDays * 86_400_000 ? earlier : undefined;
}

/** The earlier complaint by the same complainant on the same matter that has a final ruling, if any. */
export function findRuledMatter(earlier: readonly EarlierComplaint[]): EarlierComplaint | undefined {
  return earlier.filter((c) => c.finalRulingAt).sort((a, b) => b.finalRulingAt!.localeCompare(a.finalRulingAt!))[0];
}

export interface BanState {
  /** How many bans this complainant has had. */
  banCount: number;
  bannedUntil?: string;
  permanent?: boolean;
}

export type Ban =
  | { level: number; permanent: true; until?: undefined }
  | { level: number; permanent: false; until: string };

/** The next step of the ban ladder: banDays[0], banDays[1], …, then permanent. */
export function nextBan(state: BanState | undefined, now: Date, config: IntakeConfig): Ban {
  const level = (state?.banCount ?? 0) + 1;
  const days = config.banDays[level - 1];
  if (days === undefined) return { level, permanent: true };
  return { level, permanent: false, until: new Date(now.getTime() + days * 86_400_000).toISOString() };
}

/** Whether a ban holds now: permanent, or until a time still ahead. */
export function activeBan(state: BanState | undefined, now: Date): { permanent: boolean; until?: string } | undefined {
  if (!state) return undefined;
  if (state.permanent) return { permanent: true };
  if (state.bannedUntil && state.bannedUntil > now.toISOString()) return { permanent: false, until: state.bannedUntil };
  return undefined;
}

// ---- Priority

/**
 * 1 is handled first. Urgent categories (privacy & security) come before all others, and within
 * each, complaints that show prior communication (沟通情况) before those that do not:
 * 1 urgent with contact, 2 urgent, 3 with contact, 4 the rest.
 */
export function priorityOf(
  intake: Pick<ComplaintIntake, 'category' | 'contactHistory'>,
  config: DeskConfig,
): 1 | 2 | 3 | 4 {
  const urgent = config.intake.urgentCategories.includes(intake.category);
  const contact = !!intake.contactHistory?.trim();
  return urgent ? (contact ? 1 : 2) : contact ? 3 : 4;
}

// ---- Idempotency

/** JSON with object keys sorted, so the same body hashes the same whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function bodyHashOf(body: unknown): string {
  return sha256(canonicalJson(body));
}

/** Idempotency-Key (IETF draft): a client-chosen string; we take 1–255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function idempotencyKeyHash(key: string): string {
  return sha256(`idempotency:${key}`);
}
