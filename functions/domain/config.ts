import { z } from 'zod';
import {
  BUILT_IN_CALENDARS,
  CALENDAR_HOURS,
  clockMinutes,
  expandDates,
  type BusinessCalendar,
} from './business-calendar';

/**
 * The desk's configuration: categories, their teams and service levels. One schema, read by the
 * CDK app at synth time and by the local stack at start, so the two cannot disagree.
 */

const email = z.email();
/**
 * Staff sign-in, in one window, unless the desk sets its own (desk.staffSignIn): at most
 * `perAddress` sign-in mails to one address (more requests are answered alike and mail nothing),
 * and `perClient` requests from one client (then 429).
 */
export const SIGN_IN_LIMITS = { perAddress: 5, perClient: 20, windowSeconds: 15 * 60 } as const;

const bilingual = z.object({ 'zh-CN': z.string().min(1).max(200), en: z.string().min(1).max(200) }).strict();

export const teamSchema = z
  .object({
    /** What people read for the team (the id otherwise; domain/desk.ts teamName). */
    name: bilingual.optional(),
    handlers: z.array(email).min(1).max(50),
    supervisor: email,
    manager: email,
    language: z.enum(['zh-CN', 'en']).default('zh-CN'),
    /**
     * How many partitions the team's work queue is spread over (1 when absent). Raise it for a team
     * that can take more than about a third of the desk's peak filings (an outage's complaints all
     * land on one team): each partition takes 1,000 writes a second. Only ever raise it.
     */
    queueShards: z.number().int().min(1).max(16).optional(),
  })
  .strict();

const seconds = (maxDays: number) =>
  z
    .number()
    .int()
    .min(60)
    .max(maxDays * 86400);

/** Service levels in seconds (by default 24 h / 48 h / 72 h). */
const serviceLevelFields = {
  acceptanceSeconds: seconds(30),
  investigationSeconds: seconds(30),
  replySeconds: seconds(30),
  surveySeconds: seconds(60),
  reviewSeconds: seconds(30),
  escalationGraceSeconds: seconds(30),
  /** How long a category that requires evidence waits for it. */
  evidenceSeconds: seconds(60),
  /** How long the complainant has to answer a request for information. */
  informationSeconds: seconds(60),
  /** How long the respondent has to give a statement. */
  statementSeconds: seconds(30),
  /** How long after the reply a review (复核) may be asked for (by default 15 days). */
  reviewWindowSeconds: seconds(90),
  /** After a breach: by when the complainant is told, once, to expect an answer (the delay notice). */
  breachedWaitSeconds: seconds(30),
  /** How often the holder of a breached task is reminded (a fresh link), from the breach until someone acts. */
  overdueReminderSeconds: seconds(30),
};

/** The desk's service levels; the later additions have defaults so older config files still parse. */
export const serviceLevelsSchema = z
  .object({
    ...serviceLevelFields,
    evidenceSeconds: serviceLevelFields.evidenceSeconds.default(7 * 86400),
    informationSeconds: serviceLevelFields.informationSeconds.default(7 * 86400),
    statementSeconds: serviceLevelFields.statementSeconds.default(3 * 86400),
    reviewWindowSeconds: serviceLevelFields.reviewWindowSeconds.default(15 * 86400),
    breachedWaitSeconds: serviceLevelFields.breachedWaitSeconds.default(7 * 86400),
    overdueReminderSeconds: serviceLevelFields.overdueReminderSeconds.default(86400),
  })
  .strict();

/** Overrides (per category, per priority): only what they set, never a default. */
export const serviceLevelOverridesSchema = z.object(serviceLevelFields).partial().strict();

export const categorySchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'lowercase letters, digits and dashes'),
    name: bilingual,
    team: z.string().min(1),
    evidenceRequired: z.boolean().default(false),
    /** Service levels that differ for this category (e.g. privacy faster). */
    serviceLevels: serviceLevelOverridesSchema.optional(),
    /** The calendar this category's clocks count in, when not the desk's (`calendar-hours`: every hour). */
    calendar: z.string().optional(),
    /** Accepting a complaint of this category asks the platform to lock its subject until the ruling (`subject.lock-requested`). */
    lockSubject: z.boolean().default(false),
  })
  .strict();

/**
 * A refusal rule (不受理): matters this desk does not handle, found by phrases in what
 * the complainant wrote. The built-in rules live in intake-rules.ts (long phrase lists stay out of
 * the config, which travels in a Lambda environment variable); config adds rules or switches
 * built-in ones off by id.
 */
export const refusalRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'lowercase letters, digits and dashes'),
    /** Any of these, in any language, in the subject name, description or desired outcome. */
    phrases: z.array(z.string().trim().min(2).max(60)).min(1).max(50),
    /** Only when the subject is one of these types (e.g. `moderator`); all types when absent. */
    subjectTypes: z.array(z.enum(['post', 'user', 'moderator', 'service', 'other'])).optional(),
    /** Not when any of these is present (e.g. the complainant disputes the stated grounds). */
    unlessPhrases: z.array(z.string().trim().min(2).max(60)).max(50).optional(),
    reason: bilingual,
    whereElse: bilingual,
  })
  .strict();

/**
 * Webhooks: platforms outside AWS that receive the desk's events (domain/platform-events.ts),
 * signed with the endpoint's secrets. The secrets are never in this config (it is bundled into
 * every function): they are in the webhook secrets (docs/webhooks.md), by endpoint id.
 */
export const webhookSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'lowercase letters, digits and dashes'),
    url: z.url({ protocol: /^https?$/ }),
    events: z
      .array(
        z.enum([
          'complaint.received',
          'complaint.accepted',
          'complaint.rejected',
          'decision.recorded',
          'subject.lock-requested',
          'review.ruled',
          'complaint.closed',
        ]),
      )
      .min(1),
  })
  .strict();

export const integrationsConfigSchema = z
  .object({
    webhooks: z.array(webhookSchema).max(20).default([]),
  })
  .strict();

/** Intake rules and the limits of self-service; every field has a default. */
export const intakeConfigSchema = z
  .object({
    /** Use the built-in refusal and flag rules of intake-rules.ts. */
    builtInRules: z.boolean().default(true),
    /** Built-in rule ids to switch off (e.g. `not-this-platform`). */
    disabledRules: z.array(z.string().max(40)).max(20).default([]),
    refusals: z.array(refusalRuleSchema).max(10).default([]),
    /** Extra phrases that hold a complaint for review as a personal attack. */
    attackPhrases: z.array(z.string().trim().min(2).max(40)).max(100).default([]),
    /** Same complainant, same subject, within this many days, while the first is open: a duplicate. */
    duplicateDays: z.number().int().min(1).max(90).default(7),
    /** Ban lengths for the 1st, 2nd, … malicious complaint; after the last, permanent (by default 3, 7 and 30 days). */
    banDays: z.array(z.number().int().min(1).max(365)).min(1).max(10).default([3, 7, 30]),
    /** How long an Idempotency-Key is remembered. */
    idempotencyHours: z.number().int().min(1).max(168).default(24),
    /** Categories handled first (by default privacy & security). */
    urgentCategories: z.array(z.string()).max(20).default(['privacy']),
    /** At most one reminder (催办) per complaint in this many hours. */
    reminderHours: z.number().int().min(1).max(720).default(24),
    /** Complaints one email address may file in a clock hour: nobody floods the desk (or another person's mailbox) through one address. */
    filingsPerAddressPerHour: z.number().int().min(1).max(1000).default(10),
    /**
     * Acknowledgements emailed in a clock hour to addresses that have not yet shown they are real
     * (never acted on a link mailed to them, never wrote in): past it, such a complaint is filed
     * and handled as usual but its acknowledgement is not emailed (the filing's answer already
     * gave its number and tracking link). It bounds what a flood of made-up addresses can send;
     * the desk's sending reputation itself is kept by the suppression list and bounce handling
     * (an address SES reports undeliverable is never mailed again). Size it to the desk's busiest
     * hour of filings: by default ACKNOWLEDGEMENTS_PER_STAFF an hour for each member of staff
     * (at least 300), so a desk staffed for a million complaints a day acknowledges them.
     */
    newAddressAcknowledgementsPerHour: z.number().int().min(1).max(10_000_000).optional(),
  })
  .strict();

/** Largest file a side may upload, and largest video: the same bounds for the complainant's and the respondent's. */
const fileMaxBytesSchema = z
  .number()
  .int()
  .min(1024)
  .max(1024 ** 3)
  .default(10 * 1024 * 1024);
const videoMaxBytesSchema = z
  .number()
  .int()
  .min(1024)
  .max(5 * 1024 ** 3)
  .default(200 * 1024 * 1024);

/** What evidence may be uploaded (logs, screenshots, video, time records). */
export const evidenceConfigSchema = z
  .object({
    /**
     * Subject types for which a link to the thing complained about is evidence enough: a post is
     * shown by its link (or a screenshot), a private message only by a screenshot.
     */
    linkIsEvidenceFor: z.array(z.string().min(1)).default(['post']),
    contentTypes: z
      .array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'a content type such as image/png'))
      .min(1)
      .max(30)
      .default([
        'image/png',
        'image/jpeg',
        'image/gif',
        'image/webp',
        'video/mp4',
        'video/webm',
        'video/quicktime',
        'application/pdf',
        'text/plain',
      ]),
    maxBytes: fileMaxBytesSchema,
    /** Video is larger. */
    videoMaxBytes: videoMaxBytesSchema,
    maxFiles: z.number().int().min(1).max(100).default(20),
    /**
     * The respondent's files (uploaded from their link) have an allowance of their own: they
     * never use up the complainant's, nor the complainant's theirs. Held to the same checks.
     */
    respondent: z
      .object({
        maxFiles: z.number().int().min(1).max(100).default(10),
        maxBytes: fileMaxBytesSchema,
        videoMaxBytes: videoMaxBytesSchema,
      })
      .strict()
      .prefault({}),
    /** How long a presigned upload stays valid. */
    uploadSeconds: z.number().int().min(60).max(3600).default(600),
  })
  .strict();

/**
 * Email in: a mail to `address` files a complaint (channel email); replies to a case's reply
 * address (`reply+<token>@` the same domain) land on it. `enabled` wires SES receiving in the
 * cloud (the local stack always runs its SMTP stand-in).
 */
export const inboundConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    address: z
      .email({ message: 'must be an email address such as complaints@in.example.org' })
      .toLowerCase()
      .default('complaints@in.example.org'),
    /** What a mail cannot say: its category (the acceptance handler may change it). */
    defaultCategory: z.string().min(1).default('other'),
    /** Mail larger than this (raw, attachments included) is not taken; SES itself takes at most 40 MB. */
    maxBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(40 * 1024 * 1024)
      .default(25 * 1024 * 1024),
    /** At most this many mails from one sender in any hour; more are ignored (a loop or a flood). */
    perSenderPerHour: z.number().int().min(1).max(1000).default(20),
    /**
     * Days a raw mail that landed on no case (ignored, spam, refused) stays under `inbound/` before
     * the bucket's lifecycle deletes it. A mail that landed on a case is kept with the case instead
     * and goes when the case goes.
     */
    unlandedRetentionDays: z.number().int().min(1).max(365).default(30),
  })
  .strict();

/**
 * Text messages (SMS) to complainants who give a mobile number. `enabled` grants the outbox's
 * sender SendTextMessage (AWS End User Messaging SMS) from `originationIdentity` (a phone number,
 * sender ID or pool ARN/id the operator registered); the local stack always runs its stand-in.
 */
export const smsConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    originationIdentity: z.string().min(1).optional(),
    /** Where a number written without a country code is (ISO 3166 alpha-2). */
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as CN')
      .default('CN'),
    /** At most this many texts to one number in any hour; more wait for the next hour (a flood, a loop, a number typed for someone else's). */
    perNumberPerHour: z.number().int().min(1).max(100).default(6),
    /**
     * What every Chinese text starts with: mainland China's carriers require the sender's
     * registered signature, 2 or more Chinese characters of the company's name or trademark in
     * 【】 (docs/sms.md). English texts start with `Redress: `.
     */
    signature: z.string().min(1).max(20).default('【Redress】'),
    /** The name of the configuration set the stack creates for texts’ delivery events (optional: CloudFormation names it otherwise). */
    configurationSet: z.string().min(1).optional(),
  })
  .strict()
  .refine((sms) => !sms.enabled || !!sms.originationIdentity, {
    message: 'sms.enabled needs sms.originationIdentity (the registered number, sender ID or pool)',
    path: ['originationIdentity'],
  });

// ---- Business calendars: clocks that count working hours, with holidays and make-up workdays
// (business-calendar.ts). Built in: `cn-workday`, and `calendar-hours` (every hour counts).

const clockTime = z
  .string()
  .refine(
    (value) => clockMinutes(value) !== undefined,
    'must be a time HH:MM such as 09:00 (24:00 for the end of the day)',
  );
const holidayYearSchema = z
  .object({
    /** Days off: dates `YYYY-MM-DD` or ranges `YYYY-MM-DD..YYYY-MM-DD` (a holiday and the weekend days joined to it). */
    off: z.array(z.string()).max(100).default([]),
    /** Make-up workdays (调休): weekend dates that are working days. */
    workdays: z.array(z.string()).max(30).default([]),
  })
  .strict();

/**
 * A working calendar: working weekdays and hours in a time zone, and holidays by year. With
 * `builtInHolidays: "CN"` China's statutory holidays shipped with Redress apply (holidays-cn.ts);
 * `holidays` adds years (or replaces a shipped one) without a release.
 */
export const businessCalendarSchema = z
  .object({
    /** IANA time zone; the desk's when absent. */
    timeZone: z.string().optional(),
    /** Working weekdays, 1 Monday … 7 Sunday. */
    weekdays: z
      .array(z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)'))
      .min(1)
      .max(7)
      .default([1, 2, 3, 4, 5]),
    /** Working hours of a working day, in order (two periods for a lunch break). */
    hours: z
      .array(z.object({ from: clockTime, to: clockTime }).strict())
      .min(1)
      .max(8)
      .default([{ from: '09:00', to: '18:00' }]),
    builtInHolidays: z.enum(['CN', 'none']).default('CN'),
    /** Holidays by year (`"2027"`): a year here replaces the built-in one. */
    holidays: z.record(z.string(), holidayYearSchema).default({}),
  })
  .strict()
  .superRefine((calendar, ctx) => {
    if (new Set(calendar.weekdays).size !== calendar.weekdays.length)
      ctx.addIssue({ code: 'custom', path: ['weekdays'], message: 'names a weekday twice' });
    let previousEnd = -1;
    calendar.hours.forEach((period, index) => {
      const from = clockMinutes(period.from);
      const to = clockMinutes(period.to);
      if (from === undefined || to === undefined) return;
      if (from >= to)
        ctx.addIssue({ code: 'custom', path: ['hours', index, 'to'], message: `must be after ${period.from}` });
      else if (from < previousEnd)
        ctx.addIssue({
          code: 'custom',
          path: ['hours', index, 'from'],
          message: 'overlaps the period before it (list the hours in order)',
        });
      previousEnd = Math.max(previousEnd, to);
    });
    if (calendar.timeZone !== undefined) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: calendar.timeZone });
      } catch {
        ctx.addIssue({ code: 'custom', path: ['timeZone'], message: `unknown time zone "${calendar.timeZone}"` });
      }
    }
    for (const [year, data] of Object.entries(calendar.holidays)) {
      if (!/^\d{4}$/.test(year)) {
        ctx.addIssue({ code: 'custom', path: ['holidays', year], message: `"${year}" must be a year such as 2027` });
        continue;
      }
      const off = expandDates(data.off, Number(year));
      const workdays = expandDates(data.workdays, Number(year));
      for (const problem of off.problems)
        ctx.addIssue({ code: 'custom', path: ['holidays', year, 'off', problem.index], message: problem.message });
      for (const problem of workdays.problems)
        ctx.addIssue({ code: 'custom', path: ['holidays', year, 'workdays', problem.index], message: problem.message });
      const offDates = new Set(off.dates);
      data.workdays.forEach((entry, index) => {
        const both = expandDates([entry], Number(year)).dates.find((date) => offDates.has(date));
        if (both)
          ctx.addIssue({
            code: 'custom',
            path: ['holidays', year, 'workdays', index],
            message: `${both} is also listed as a day off`,
          });
      });
    }
  });

/** Periodic reports: the weekly one goes out on `day` at `time` in the desk's time zone (by default Monday 09:00). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export const reportsConfigSchema = z
  .object({
    weekly: z
      .object({
        day: z.enum(WEEKDAYS).default('monday'),
        time: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM such as 09:00')
          .default('09:00'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** How fast the desk may drive the services it shares with the account's other work. */
export const scaleConfigSchema = z
  .object({
    /**
     * Workflows the start reconciler starts a second when a backlog of pending starts waits (Step
     * Functions refused them: throttled, or the open-execution quota reached). Keep it below the
     * account's StartExecution refill (300 a second in the largest regions, 150 or less elsewhere),
     * which intake shares.
     */
    workflowStartsPerSecond: z.number().int().min(1).max(2000).default(100),
  })
  .strict();

/** The desk's figures (analytics page, weekly report). */
export const analyticsConfigSchema = z
  .object({
    /**
     * The longest the stream's batches of history events wait before the roll-up adds them to
     * the figures: the page lags the events by at most this and a minute. Each roll-up rewrites
     * the items it touches (a team's day, each person's running totals), so at volume a shorter
     * wait costs more writes; 20,000 waiting events are rolled up at once whatever their age.
     */
    refreshSeconds: z.number().int().min(0).max(3600).default(300),
  })
  .strict();

/** Acknowledgements to unproven addresses an hour, per member of staff, unless the desk sets its own cap. */
export const ACKNOWLEDGEMENTS_PER_STAFF = 1000;

export const deskConfigSchema = z
  .object({
    timeZone: z.string().default('Asia/Shanghai'),
    /** The desk's name as case documents (export, referral bundle) give it. */
    name: bilingual.default({ 'zh-CN': 'Redress 投诉处理', en: 'Redress complaints' }),
    /** Personal-data rights (issue 27): how long after a confirmed erasure request the desk has to erase. */
    rights: z
      .object({ erasureDays: z.number().int().min(1).max(30).default(15) })
      .strict()
      .prefault({}),
    /** Who holds a task once every escalation has passed (the last resort); the team's manager when unset. */
    escalationOwner: z.email().optional(),
    retentionDays: z.number().int().min(365, 'records are kept at least 365 days').default(365),
    serviceLevels: serviceLevelsSchema,
    /**
     * Service levels by intake priority (1 privacy with prior contact, 2 privacy, 3 prior contact,
     * 4 the rest): privacy & security first, so by default a privacy complaint
     * is reviewed within 12 h instead of 24 h.
     */
    priorityServiceLevels: z
      .partialRecord(z.enum(['1', '2', '3', '4']), serviceLevelOverridesSchema)
      .default({ '1': { acceptanceSeconds: 12 * 3600 }, '2': { acceptanceSeconds: 12 * 3600 } }),
    teams: z.record(z.string().min(1), teamSchema),
    /**
     * What people read for each escalation level of a task: 0 its own holder, 1 escalated to the
     * supervisor, 2 to the manager, 3 and up breached (the last entry names every level past it).
     * domain/desk.ts has the default (kept out of the parsed config, which travels in an
     * environment variable).
     */
    escalationLevels: z.array(bilingual).min(2).max(10).optional(),
    /** Operators: staff who are in no team and see and act on every case (staff desk, role admin). */
    admins: z.array(email).max(50).default([]),
    /**
     * Staff sign-in requests per window: past `perClient` from one client address they are
     * refused (429); past `perAddress` for one mailbox no further link is mailed (staff-sign-in.ts).
     */
    staffSignIn: z
      .object({
        perAddress: z.number().int().min(1).max(10_000).default(SIGN_IN_LIMITS.perAddress),
        perClient: z.number().int().min(1).max(100_000).default(SIGN_IN_LIMITS.perClient),
        windowSeconds: z.number().int().min(60).max(86_400).default(SIGN_IN_LIMITS.windowSeconds),
      })
      .strict()
      .prefault({}),
    categories: z.array(categorySchema).min(1),
    intake: intakeConfigSchema.prefault({}),
    evidence: evidenceConfigSchema.prefault({}),
    inbound: inboundConfigSchema.prefault({}),
    sms: smsConfigSchema.prefault({}),
    reports: reportsConfigSchema.prefault({}),
    scale: scaleConfigSchema.prefault({}),
    analytics: analyticsConfigSchema.prefault({}),
    /** Events to the platform beside the desk: webhooks (docs/webhooks.md). */
    integrations: integrationsConfigSchema.prefault({}),
    /** Working calendars by name, besides the built-in `cn-workday`. */
    calendars: z.record(z.string(), businessCalendarSchema).default({}),
    /** The calendar every clock counts in (a category may name its own); calendar hours when absent. */
    calendar: z.string().optional(),
    /**
     * Canned replies every desk member is offered (canned-replies.ts): a title and a zh-CN and an
     * English text with placeholders {number} {name} {deadline} {category} {holder}; when absent,
     * the built-in few (canned-replies.ts DEFAULT_CANNED_REPLIES). Supervisors, managers and
     * operators add their own on /staff/canned-replies.
     */
    cannedReplies: z
      .array(
        z
          .object({
            title: z.string().min(1).max(120),
            text: z.object({ 'zh-CN': z.string().min(1).max(5000), en: z.string().min(1).max(5000) }).strict(),
          })
          .strict(),
      )
      .max(50)
      .optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (!config.categories.some((category) => category.id === config.inbound.defaultCategory)) {
      ctx.addIssue({
        code: 'custom',
        path: ['inbound', 'defaultCategory'],
        message: `no category with id "${config.inbound.defaultCategory}" in categories`,
      });
    }
    const seen = new Set<string>();
    config.categories.forEach((category, index) => {
      if (seen.has(category.id))
        ctx.addIssue({
          code: 'custom',
          path: ['categories', index, 'id'],
          message: `duplicate category id "${category.id}"`,
        });
      seen.add(category.id);
      if (!config.teams[category.team])
        ctx.addIssue({
          code: 'custom',
          path: ['categories', index, 'team'],
          message: `no team named "${category.team}" in teams`,
        });
    });
    const webhookIds = new Set<string>();
    config.integrations.webhooks.forEach((webhook, index) => {
      if (webhookIds.has(webhook.id))
        ctx.addIssue({
          code: 'custom',
          path: ['integrations', 'webhooks', index, 'id'],
          message: `duplicate webhook id "${webhook.id}"`,
        });
      webhookIds.add(webhook.id);
    });
    try {
      new Intl.DateTimeFormat('en', { timeZone: config.timeZone });
    } catch {
      ctx.addIssue({ code: 'custom', path: ['timeZone'], message: `unknown time zone "${config.timeZone}"` });
    }
    const knownCalendars = [
      CALENDAR_HOURS,
      ...new Set([...Object.keys(BUILT_IN_CALENDARS), ...Object.keys(config.calendars)]),
    ];
    const checkCalendar = (name: string | undefined, path: (string | number)[]) => {
      if (name !== undefined && !knownCalendars.includes(name))
        ctx.addIssue({
          code: 'custom',
          path,
          message: `no calendar named "${name}" (known: ${knownCalendars.join(', ')})`,
        });
    };
    checkCalendar(config.calendar, ['calendar']);
    for (const [index, category] of config.categories.entries())
      checkCalendar(category.calendar, ['categories', index, 'calendar']);
    for (const name of Object.keys(config.calendars)) {
      if (!/^[a-z][a-z0-9-]{1,39}$/.test(name))
        ctx.addIssue({
          code: 'custom',
          path: ['calendars', name],
          message: 'a calendar name is lowercase letters, digits and dashes',
        });
    }
    if (CALENDAR_HOURS in config.calendars)
      ctx.addIssue({
        code: 'custom',
        path: ['calendars', CALENDAR_HOURS],
        message: `"${CALENDAR_HOURS}" is the built-in name for counting every hour; choose another name`,
      });
  })
  .transform((config) => ({
    ...config,
    intake: {
      ...config.intake,
      newAddressAcknowledgementsPerHour:
        config.intake.newAddressAcknowledgementsPerHour ?? defaultAcknowledgementCap(config),
    },
  }));

/** The cap on acknowledgements to unproven addresses a desk gets unless it sets one: it grows with the staff. */
function defaultAcknowledgementCap(config: { teams: Record<string, z.output<typeof teamSchema>>; admins: string[] }) {
  const staff = new Set(
    [
      ...Object.values(config.teams).flatMap((team) => [...team.handlers, team.supervisor, team.manager]),
      ...config.admins,
    ].map((email) => email.toLowerCase()),
  );
  return Math.max(300, ACKNOWLEDGEMENTS_PER_STAFF * staff.size);
}

export type DeskConfig = z.output<typeof deskConfigSchema>;
export type Category = DeskConfig['categories'][number];
export type Team = DeskConfig['teams'][string];
/** A complaint's service levels, and the working calendar they count in (calendar hours when absent). */
export type ServiceLevels = DeskConfig['serviceLevels'] & { calendar?: BusinessCalendar };
export type IntakeConfig = DeskConfig['intake'];
export type EvidenceConfig = DeskConfig['evidence'];
export type InboundConfig = DeskConfig['inbound'];
export type RefusalRuleConfig = IntakeConfig['refusals'][number];

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Redress configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidConfigError';
  }
}

export function parseDeskConfig(input: unknown): DeskConfig {
  const result = deskConfigSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

const HOUR = 3600;

/** The default desk: seven categories and the 24/48/72 h service levels. */
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
    trust: {
      name: { 'zh-CN': '信任与安全', en: 'Trust & safety' },
      handlers: ['trust.handler@example.org'],
      supervisor: 'trust.supervisor@example.org',
      manager: 'desk.manager@example.org',
    },
    privacy: {
      name: { 'zh-CN': '隐私', en: 'Privacy' },
      handlers: ['privacy.handler@example.org'],
      supervisor: 'privacy.supervisor@example.org',
      manager: 'desk.manager@example.org',
    },
    operations: {
      name: { 'zh-CN': '运营', en: 'Operations' },
      handlers: ['ops.handler@example.org'],
      supervisor: 'ops.supervisor@example.org',
      manager: 'desk.manager@example.org',
    },
  },
  categories: [
    {
      id: 'content',
      name: { 'zh-CN': '不当内容、虚假信息', en: 'Inappropriate or false content' },
      team: 'trust',
      evidenceRequired: true,
      // A post under complaint is locked once the complaint is accepted, until the ruling.
      lockSubject: true,
    },
    {
      id: 'account',
      name: { 'zh-CN': '账号（被盗、封禁、支付）', en: 'Account (stolen, banned, payment)' },
      team: 'trust',
    },
    {
      id: 'privacy',
      name: { 'zh-CN': '隐私与安全（数据泄露、隐私侵权）', en: 'Privacy & security (data leaks, privacy violations)' },
      team: 'privacy',
    },
    {
      id: 'service-outage',
      name: { 'zh-CN': '服务中断', en: 'Service outage' },
      team: 'operations',
      evidenceRequired: true,
    },
    { id: 'performance', name: { 'zh-CN': '性能问题', en: 'Performance' }, team: 'operations' },
    { id: 'data-loss', name: { 'zh-CN': '数据丢失', en: 'Data loss' }, team: 'operations' },
    { id: 'other', name: { 'zh-CN': '其他', en: 'Other' }, team: 'trust' },
  ],
});
