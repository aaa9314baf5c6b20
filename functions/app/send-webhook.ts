import type { PlatformEvent } from '../domain/platform-events';
import { SIGNATURE_HEADERS, signedHeaders, WEBHOOK_MAX_ATTEMPTS } from '../domain/webhook-signing';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
import { recordWebhookTry, type WebhookTry } from '../store/webhook-log';
import { secretsFor } from './shared/webhook-secrets';

/** How long a webhook endpoint has to answer. */
const TIMEOUT_MS = 10_000;

export class WebhookRefused extends Error {
  constructor(
    readonly webhook: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRefused';
  }
}

/**
 * Delivers one event to one webhook, signed with each of its active secrets (domain/webhook-signing.ts).
 * A 2xx answer is delivered; anything else (another status, no answer in time) throws, and the
 * queue it came from tries again later (the cloud: SQS then its dead-letter queue; locally the
 * local bus). Every try is logged and recorded in the delivery log (store/webhook-log.ts: endpoint,
 * event, status, time taken, which try, and whether it was the last), which operators read at
 * /staff/webhooks. `attempt` is the queue's count of this message's receipts.
 */
export async function sendWebhook(input: {
  webhook: string;
  event: PlatformEvent;
  attempt?: number;
}): Promise<{ status: number }> {
  const { webhook, event, attempt } = input;
  const at = currentTime().toISOString();
  /** Records the try; a log that cannot be written never fails the delivery. */
  const recordTry = (outcome: Pick<WebhookTry, 'ok' | 'status' | 'error' | 'ms'>) =>
    recordWebhookTry({
      at,
      webhook,
      eventId: event.id,
      type: event.type,
      ...(event.complaintId ? { complaintId: event.complaintId } : {}),
      ...(attempt ? { attempt } : {}),
      ...outcome,
      ...(!outcome.ok && attempt !== undefined && attempt >= WEBHOOK_MAX_ATTEMPTS ? { gaveUp: true } : {}),
    }).catch((error) =>
      log.error('webhook try not recorded in the delivery log', { webhook, eventId: event.id, error }),
    );
  const endpoint = settings().desk.integrations.webhooks.find((w) => w.id === webhook);
  if (!endpoint?.events.includes(event.type)) {
    // Removed from the config, or no longer wanting this type, since the event was routed: nothing to send.
    log.warn('webhook delivery dropped: no such endpoint for this event type', { webhook, eventId: event.id });
    return { status: 0 };
  }
  const secrets = await secretsFor(webhook);
  if (!secrets.length) {
    await recordTry({ ok: false, error: 'no secret', ms: 0 });
    throw new WebhookRefused(webhook, undefined, `no secret for webhook "${webhook}"`);
  }
  const body = JSON.stringify(event);
  const started = Date.now();
  let status: number | undefined;
  try {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Redress-Webhooks/1',
        [SIGNATURE_HEADERS.eventId]: event.id,
        [SIGNATURE_HEADERS.eventType]: event.type,
        ...signedHeaders(secrets, currentTime(), body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = response.status;
    await response.arrayBuffer().catch(() => undefined);
  } catch (error) {
    const ms = Date.now() - started;
    log.warn('webhook delivery failed', {
      webhook,
      eventId: event.id,
      type: event.type,
      error: (error as Error).name,
      ms,
    });
    await recordTry({ ok: false, error: (error as Error).name, ms });
    throw new WebhookRefused(webhook, undefined, `webhook "${webhook}" did not answer: ${(error as Error).name}`);
  }
  const entry = { webhook, eventId: event.id, type: event.type, status, ms: Date.now() - started };
  if (status < 200 || status >= 300) {
    log.warn('webhook delivery failed', entry);
    await recordTry({ ok: false, status, ms: entry.ms });
    throw new WebhookRefused(webhook, status, `webhook "${webhook}" answered ${status}`);
  }
  log.info('webhook delivered', entry);
  await recordTry({ ok: true, status, ms: entry.ms });
  return { status };
}
