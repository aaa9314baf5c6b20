import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { MAX_ACTIVE_SECRETS } from '../domain/webhook-signing';
import { currentTime } from './clock';

/**
 * The secrets that sign webhooks and check what the platform sends back: a JSON object of
 * `<webhook id>` (and `inbound`, for POST /integrations/actions) → one or two secrets, the
 * current first. From WEBHOOK_SECRETS (the local stack) or the Secrets Manager secret named by
 * WEBHOOK_SECRETS_ARN (the cloud). Read again every few minutes, so a rotation (add the new
 * secret first, remove the old one later) reaches every function without a deployment.
 */
export const INBOUND_SECRET_KEY = 'inbound';
const REREAD_MS = 5 * 60_000;

let cached: { at: number; secrets: Promise<Record<string, string[]>> } | undefined;

function parse(text: string, where: string): Record<string, string[]> {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(parsed ?? {})) {
    const list = (Array.isArray(value) ? value : [value]).filter((s): s is string => typeof s === 'string');
    if (list.some((s) => s.length < 32))
      throw new Error(`${where}: every secret of "${key}" must be at least 32 characters`);
    out[key] = list.slice(0, MAX_ACTIVE_SECRETS);
  }
  return out;
}

async function load(): Promise<Record<string, string[]>> {
  const direct = process.env.WEBHOOK_SECRETS;
  if (direct) return parse(direct, 'WEBHOOK_SECRETS');
  const arn = process.env.WEBHOOK_SECRETS_ARN;
  if (!arn) throw new Error('Environment variable WEBHOOK_SECRETS or WEBHOOK_SECRETS_ARN must be set');
  const { SecretString } = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  return parse(SecretString ?? '{}', `secret ${arn}`);
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
