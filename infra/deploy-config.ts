import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_DESK_CONFIG, deskConfigSchema, InvalidConfigError, type DeskConfig } from '../functions/domain/config';

/**
 * What an operator sets for one deployment: who the mail comes from (an address, or a whole
 * domain verified with DKIM), where the public links point, who hears about alarms, which web
 * origins may upload evidence, the API's limits and the optional WAF, and the desk itself
 * (categories, teams, service levels, retention, intake and evidence limits). Read at synth time
 * from `redress.config.json` at the repository root (git-ignored; `redress.config.example.json`
 * shows every field).
 */

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_CONFIG_FILE = join(REPO_ROOT, 'redress.config.json');
export const DEFAULT_MAIL_FROM = 'complaints@example.org';
export const DEFAULT_WAF = { enabled: true, rateLimitPer5Minutes: 1000, filingsPer5Minutes: 20 } as const;
export const DEFAULT_API = { rateLimitPerSecond: 50, burstLimit: 100, intakeRateLimitPerSecond: 10 } as const;

/** An origin or page URL on http(s); browsers send origins, so paths are dropped later. */
const webUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const hostname = z
  .string()
  .toLowerCase()
  .regex(
    /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a domain name such as example.org',
  );

/** AWS WAF in front of the API: a rate-based rule per client IP, plus AWS's IP-reputation and known-bad-input rules. */
const wafSchema = z
  .object({
    enabled: z.boolean(),
    /** Requests one IP may make in any 5 minutes before WAF answers 429 (WAF's minimum is 10). */
    rateLimitPer5Minutes: z.number().int().min(10).max(2_000_000_000).default(DEFAULT_WAF.rateLimitPer5Minutes),
    /** Complaints one IP may file (POST /complaints) in any 5 minutes: one client cannot use up intake. */
    filingsPer5Minutes: z.number().int().min(10).max(2_000_000_000).default(DEFAULT_WAF.filingsPer5Minutes),
  })
  .strict();

/** API Gateway stage throttling (all clients together; requests over it get 429). */
const apiSchema = z
  .object({
    rateLimitPerSecond: z.number().int().min(1).max(10_000).default(DEFAULT_API.rateLimitPerSecond),
    burstLimit: z.number().int().min(1).max(5_000).default(DEFAULT_API.burstLimit),
    /** Filing (POST /complaints) is the costly route (a transaction, a workflow, emails): its own, lower limit. */
    intakeRateLimitPerSecond: z.number().int().min(1).max(10_000).default(DEFAULT_API.intakeRateLimitPerSecond),
  })
  .strict();

/** Where and how the stack is served and kept: its own domain, and backups beyond PITR. */
const deploySchema = z
  .object({
    /**
     * Serve the API at this domain (an API Gateway custom domain with an ACM certificate), so the
     * links in emails open: publicBaseUrl becomes `https://<name>`. With `hostedZoneId` (a Route 53
     * zone the name is in) the stack validates the certificate and writes the alias record itself;
     * without it, publish the certificate's validation CNAME and the `CustomDomainTarget` output.
     */
    domain: z
      .object({
        name: hostname,
        hostedZoneId: z
          .string()
          .regex(/^Z[A-Z0-9]{1,32}$/, 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ')
          .optional(),
        /** An ACM certificate (in the stack's region) that covers `name`; else the stack requests one. */
        certificateArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, 'must be an ACM certificate ARN')
          .optional(),
      })
      .strict()
      .optional(),
    /** A daily AWS Backup of the table and the evidence bucket, kept `retentionDays` (see docs/operating.md for its cost). */
    backup: z
      .object({
        enabled: z.boolean(),
        retentionDays: z.number().int().min(1).max(36_500).default(35),
      })
      .strict()
      .optional(),
  })
  .strict();

export const deploymentConfigSchema = z
  .object({
    /** The sender of every email; SES must verify it (an email identity is created for it, unless mailDomain covers it). */
    mailFrom: z.email({ message: 'must be an email address' }),
    /**
     * Verify this whole domain instead of one address: a domain identity with Easy DKIM (three
     * CNAME records to publish). mailFrom must be at this domain or a subdomain of it.
     */
    mailDomain: hostname.optional(),
    /** Where links in emails point (a custom domain in front of the API). Default: the API's own URL. */
    publicBaseUrl: z
      .url({ protocol: /^https$/, message: 'must be an https URL' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    /**
     * A name for this desk when an account holds more than one (e.g. `town`, `staging`): the
     * stack becomes `Redress-<stage>` and every named resource (API, workflow, WAF, dashboard,
     * alarms, metrics) takes it, so two desks share no physical name. Unset: `Redress`, as before.
     */
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,15}$/, 'must be 1–16 lowercase letters, digits or dashes, starting with a letter')
      .optional(),
    /** The AWS region to deploy to; else the CDK CLI's (from the operator's profile). Checked at synth. */
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region name such as us-east-1')
      .optional(),
    /** Receives CloudWatch alarm notifications (SNS email subscription; confirm the first mail). */
    alarmEmail: z.email({ message: 'must be an email address' }).optional(),
    /** Web origins, besides the public base URL, whose pages may upload evidence to S3. */
    allowedOrigins: z.array(webUrl).max(20).optional(),
    /** AWS WAF web ACL on the API stage: the per-client (per-IP) limits. On by default; an operator may turn it off (it costs a monthly fee). */
    waf: wafSchema.optional(),
    api: apiSchema.optional(),
    deploy: deploySchema.optional(),
    desk: deskConfigSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const served = config.deploy?.domain?.name;
    if (served && config.publicBaseUrl && config.publicBaseUrl !== `https://${served}`) {
      ctx.addIssue({
        code: 'custom',
        path: ['publicBaseUrl'],
        message: `must be https://${served} (deploy.domain), or left out: it follows from deploy.domain`,
      });
    }
    const domain = config.mailFrom.split('@').pop()!.toLowerCase();
    if (config.mailDomain && domain !== config.mailDomain && !domain.endsWith(`.${config.mailDomain}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['mailFrom'],
        message: `must be an address at ${config.mailDomain} (mailDomain), got one at ${domain}`,
      });
    }
    if (config.api && config.api.intakeRateLimitPerSecond > config.api.rateLimitPerSecond) {
      ctx.addIssue({
        code: 'custom',
        path: ['api', 'intakeRateLimitPerSecond'],
        message: 'must not exceed api.rateLimitPerSecond',
      });
    }
  });

export interface DeploymentConfig {
  mailFrom: string;
  stage?: string;
  region?: string;
  /** When set, SES verifies this domain (with DKIM) rather than the single mailFrom address. */
  mailDomain?: string;
  publicBaseUrl?: string;
  alarmEmail?: string;
  allowedOrigins: string[];
  waf: { enabled: boolean; rateLimitPer5Minutes: number; filingsPer5Minutes: number };
  api: { rateLimitPerSecond: number; burstLimit: number; intakeRateLimitPerSecond: number };
  deploy?: {
    domain?: { name: string; hostedZoneId?: string; certificateArn?: string };
    backup?: { enabled: boolean; retentionDays: number };
  };
  desk: DeskConfig;
}

/**
 * Validates a parsed `redress.config.json`. Throws `InvalidConfigError` listing every bad field
 * as `path: message` (`desk.retentionDays: records are kept at least 365 days …`).
 */
export function parseDeploymentConfig(json: unknown): DeploymentConfig {
  const result = deploymentConfigSchema.safeParse(json);
  if (!result.success) {
    throw new InvalidConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const { mailFrom, stage, region, mailDomain, alarmEmail, allowedOrigins, waf, api, deploy, desk } = result.data;
  // Links point at the desk's own domain when it has one.
  const publicBaseUrl = deploy?.domain ? `https://${deploy.domain.name}` : result.data.publicBaseUrl;
  return {
    mailFrom,
    ...(stage ? { stage } : {}),
    ...(region ? { region } : {}),
    ...(mailDomain ? { mailDomain } : {}),
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    // CORS matches origins exactly (scheme, host, port), never paths.
    allowedOrigins: [...new Set((allowedOrigins ?? []).map((url) => new URL(url).origin))],
    waf: waf ?? { ...DEFAULT_WAF },
    api: api ?? { ...DEFAULT_API },
    ...(deploy?.domain || deploy?.backup ? { deploy } : {}),
    desk: desk ?? DEFAULT_DESK_CONFIG,
  };
}

/** The defaults used when there is no config file: an example sender and the default desk. */
export function defaultDeploymentConfig(): DeploymentConfig {
  return {
    mailFrom: DEFAULT_MAIL_FROM,
    allowedOrigins: [],
    waf: { ...DEFAULT_WAF },
    api: { ...DEFAULT_API },
    desk: DEFAULT_DESK_CONFIG,
  };
}

/** Reads and validates the config file; a missing file gives the defaults. */
export function loadDeploymentConfig(path: string = DEFAULT_CONFIG_FILE): DeploymentConfig {
  if (!existsSync(path)) return defaultDeploymentConfig();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const invalid = new InvalidConfigError([`not valid JSON: ${(error as Error).message}`]);
    invalid.message = invalid.message.replace('configuration:', `configuration in ${path}:`);
    throw invalid;
  }
  try {
    return parseDeploymentConfig(json);
  } catch (error) {
    if (error instanceof InvalidConfigError)
      error.message = error.message.replace('configuration:', `configuration in ${path}:`);
    throw error;
  }
}

/** The stack's id (and name): `Redress`, or `Redress-<stage>` for one of several desks in an account. */
export function stackIdOf(config: Pick<DeploymentConfig, 'stage'>): string {
  return config.stage ? `Redress-${config.stage}` : 'Redress';
}
