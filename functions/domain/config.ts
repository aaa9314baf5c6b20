import { z } from 'zod';

/**
 * The desk's configuration: categories, their teams and service levels. One schema, read by the
 * CDK app at synth time and by the local stack at start, so the two cannot disagree.
 */

const email = z.email();
const bilingual = z.object({ 'zh-CN': z.string().min(1).max(200), en: z.string().min(1).max(200) }).strict();

export const teamSchema = z
  .object({
    handlers: z.array(email).min(1).max(50),
    supervisor: email,
    manager: email,
    language: z.enum(['zh-CN', 'en']).default('zh-CN'),
  })
  .strict();

/** Service levels in seconds, as the seeds give them (seed 002: 24 h / 48 h / 72 h). */
export const serviceLevelsSchema = z
  .object({
    acceptanceSeconds: z.number().int().min(60).max(30 * 86400),
    investigationSeconds: z.number().int().min(60).max(30 * 86400),
    replySeconds: z.number().int().min(60).max(30 * 86400),
    surveySeconds: z.number().int().min(60).max(60 * 86400),
    reviewSeconds: z.number().int().min(60).max(30 * 86400),
    escalationGraceSeconds: z.number().int().min(60).max(30 * 86400),
  })
  .strict();

export const categorySchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'lowercase letters, digits and dashes'),
    name: bilingual,
    team: z.string().min(1),
    evidenceRequired: z.boolean().default(false),
  })
  .strict();

export const deskConfigSchema = z
  .object({
    timeZone: z.string().default('Asia/Shanghai'),
    retentionDays: z.number().int().min(365, 'records are kept at least 365 days (seed 002)').default(365),
    serviceLevels: serviceLevelsSchema,
    teams: z.record(z.string().min(1), teamSchema),
    categories: z.array(categorySchema).min(1),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.categories.forEach((category, index) => {
      if (seen.has(category.id)) ctx.addIssue({ code: 'custom', path: ['categories', index, 'id'], message: `duplicate category id "${category.id}"` });
      seen.add(category.id);
      if (!config.teams[category.team]) ctx.addIssue({ code: 'custom', path: ['categories', index, 'team'], message: `no team named "${category.team}" in teams` });
    });
    try {
      new Intl.DateTimeFormat('en', { timeZone: config.timeZone });
    } catch {
      ctx.addIssue({ code: 'custom', path: ['timeZone'], message: `unknown time zone "${config.timeZone}"` });
    }
  });

export type DeskConfig = z.output<typeof deskConfigSchema>;
export type Category = DeskConfig['categories'][number];
export type Team = DeskConfig['teams'][string];
export type ServiceLevels = DeskConfig['serviceLevels'];

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Redress configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidConfigError';
  }
}

export function parseDeskConfig(input: unknown): DeskConfig {
  const result = deskConfigSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return result.data;
}

const HOUR = 3600;

/** Defaults follow the seeds: the seven categories of SPEC.md and the 24/48/72 h service levels. */
export const DEFAULT_DESK_CONFIG: DeskConfig = parseDeskConfig({
  timeZone: 'Asia/Shanghai',
  retentionDays: 365,
  serviceLevels: {
    acceptanceSeconds: 24 * HOUR,
    investigationSeconds: 48 * HOUR,
    replySeconds: 72 * HOUR,
    surveySeconds: 7 * 24 * HOUR,
    reviewSeconds: 72 * HOUR,
    escalationGraceSeconds: 4 * HOUR,
  },
  teams: {
    trust: { handlers: ['trust.handler@example.org'], supervisor: 'trust.supervisor@example.org', manager: 'desk.manager@example.org' },
    privacy: { handlers: ['privacy.handler@example.org'], supervisor: 'privacy.supervisor@example.org', manager: 'desk.manager@example.org' },
    operations: { handlers: ['ops.handler@example.org'], supervisor: 'ops.supervisor@example.org', manager: 'desk.manager@example.org' },
  },
  categories: [
    { id: 'content', name: { 'zh-CN': '不当内容、虚假信息', en: 'Inappropriate or false content' }, team: 'trust', evidenceRequired: true },
    { id: 'account', name: { 'zh-CN': '账号（被盗、封禁、支付）', en: 'Account (stolen, banned, payment)' }, team: 'trust' },
    { id: 'privacy', name: { 'zh-CN': '隐私与安全（数据泄露、隐私侵权）', en: 'Privacy & security (data leaks, privacy violations)' }, team: 'privacy' },
    { id: 'service-outage', name: { 'zh-CN': '服务中断', en: 'Service outage' }, team: 'operations', evidenceRequired: true },
    { id: 'performance', name: { 'zh-CN': '性能问题', en: 'Performance' }, team: 'operations' },
    { id: 'data-loss', name: { 'zh-CN': '数据丢失', en: 'Data loss' }, team: 'operations' },
    { id: 'other', name: { 'zh-CN': '其他', en: 'Other' }, team: 'trust' },
  ],
});

export function findCategory(config: DeskConfig, id: string): Category | undefined {
  return config.categories.find((category) => category.id === id);
}

export function teamFor(config: DeskConfig, categoryId: string): Team {
  const category = findCategory(config, categoryId);
  const team = category && config.teams[category.team];
  if (!team) throw new Error(`No team configured for category "${categoryId}"`);
  return team;
}
