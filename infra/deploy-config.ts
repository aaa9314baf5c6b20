import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_DESK_CONFIG, deskConfigSchema, InvalidConfigError, type DeskConfig } from '../functions/domain/config';

/**
 * What an operator sets for one deployment: who the mail comes from, where the public links
 * point, who hears about alarms, which web origins may upload evidence, and the desk itself
 * (categories, teams, service levels, retention). Read at synth time from `redress.config.json`
 * at the repository root (git-ignored; `redress.config.example.json` shows every field).
 */

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_CONFIG_FILE = join(REPO_ROOT, 'redress.config.json');
export const DEFAULT_MAIL_FROM = 'complaints@example.org';

/** An origin or page URL on http(s); browsers send origins, so paths are dropped later. */
const webUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

export const deploymentConfigSchema = z
  .object({
    /** The sender of every email; SES must verify it (an email identity is created for it). */
    mailFrom: z.email({ message: 'must be an email address' }),
    /** Where links in emails point (a custom domain in front of the API). Default: the API's own URL. */
    publicBaseUrl: z
      .url({ protocol: /^https$/, message: 'must be an https URL' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    /** Receives CloudWatch alarm notifications (SNS email subscription; confirm the first mail). */
    alarmEmail: z.email({ message: 'must be an email address' }).optional(),
    /** Web origins, besides the public base URL, whose pages may upload evidence to S3. */
    allowedOrigins: z.array(webUrl).max(20).optional(),
    desk: deskConfigSchema.optional(),
  })
  .strict();

export interface DeploymentConfig {
  mailFrom: string;
  publicBaseUrl?: string;
  alarmEmail?: string;
  allowedOrigins: string[];
  desk: DeskConfig;
}

/**
 * Validates a parsed `redress.config.json`. Throws `InvalidConfigError` listing every bad field
 * as `path: message` (`desk.retentionDays: records are kept at least 365 days …`).
 */
export function parseDeploymentConfig(json: unknown): DeploymentConfig {
  const result = deploymentConfigSchema.safeParse(json);
  if (!result.success) {
    throw new InvalidConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const { mailFrom, publicBaseUrl, alarmEmail, allowedOrigins, desk } = result.data;
  return {
    mailFrom,
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    // CORS matches origins exactly (scheme, host, port), never paths.
    allowedOrigins: [...new Set((allowedOrigins ?? []).map((url) => new URL(url).origin))],
    desk: desk ?? DEFAULT_DESK_CONFIG,
  };
}

/** The defaults used when there is no config file: example sender, the seeds' desk. */
export function defaultDeploymentConfig(): DeploymentConfig {
  return { mailFrom: DEFAULT_MAIL_FROM, allowedOrigins: [], desk: DEFAULT_DESK_CONFIG };
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
    if (error instanceof InvalidConfigError) error.message = error.message.replace('configuration:', `configuration in ${path}:`);
    throw error;
  }
}
