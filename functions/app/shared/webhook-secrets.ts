import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { MAX_ACTIVE_SECRETS } from '../../domain/webhook-signing';
import { currentTime } from '../../lib/clock';

/**
 * The secrets that sign webhooks and check what the platform sends back, by `<webhook id>` (and
 * `inbound`, for POST /integrations/actions): one or two each, the current first. Locally
 * WEBHOOK_SECRETS holds them all (a JSON object of key → secrets); in the cloud
 * WEBHOOK_SECRET_ARNS names one Secrets Manager secret per key, whose value is the secret, or a
 * JSON array of two while it is rotated. Read again every few minutes, so a rotation (add the new
 * secret first, remove the old one later) reaches every function without a deployment.
 */
export const INBOUND_SECRET_KEY = 'inbound';
const REREAD_MS = 5 * 60_000;

let cached: { at: number; secrets: Promise<Record<string, string[]>> } | undefined;

function valid(list: unknown[], where: string): string[] {
  const secrets = list.filter((s): s is string => typeof s === 'string');
  if (secrets.length !== list.length || secrets.some((s) => s.length < 32))
    throw new Error(`${where}: every secret must be text of at least 32 characters`);
  return secrets.slice(0, MAX_ACTIVE_SECRETS);
}

/** One stored value: the secret, or a JSON array of the current and the previous one. */
function secretsOfValue(value: string, where: string): string[] {
  const text = value.trim();
  return valid(text.startsWith('[') ? (JSON.parse(text) as unknown[]) : [text], where);
}

async function load(): Promise<Record<string, string[]>> {
  const direct = process.env.WEBHOOK_SECRETS;
  if (direct) {
    const parsed = JSON.parse(direct) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(parsed).map(([key, value]) => [
        key,
        valid(Array.isArray(value) ? value : [value], `WEBHOOK_SECRETS.${key}`),
      ]),
    );
  }
  const arns = process.env.WEBHOOK_SECRET_ARNS;
  if (!arns) throw new Error('Environment variable WEBHOOK_SECRETS or WEBHOOK_SECRET_ARNS must be set');
  const client = new SecretsManagerClient({});
  const entries = await Promise.all(
    Object.entries(JSON.parse(arns) as Record<string, string>).map(async ([key, arn]) => {
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
      return [key, secretsOfValue(SecretString ?? '', `secret ${arn}`)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The active secrets of a webhook (or of `inbound`); none when it has none. */
export async function secretsFor(key: string): Promise<string[]> {
  const now = currentTime().getTime();
  if (!cached || now - cached.at > REREAD_MS) {
    const secrets = load();
    cached = { at: now, secrets };
    secrets.catch(() => {
      if (cached?.secrets === secrets) cached = undefined;
    });
  }
  return (await cached.secrets)[key] ?? [];
}
