import type { PlatformEvent } from '../domain/platform-events';
import { SIGNATURE_HEADERS, signedHeaders } from '../domain/webhook-signing';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
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
 * local bus). Every try is logged: the delivery log (endpoint, event, status, time taken).
 */
export async function sendWebhook(input: { webhook: string; event: PlatformEvent }): Promise<{ status: number }> {
  const { webhook, event } = input;
  const endpoint = settings().desk.integrations.webhooks.find((w) => w.id === webhook);
  if (!endpoint || !endpoint.events.includes(event.type)) {
    // Removed from the config, or no longer wanting this type, since the event was routed: nothing to send.
    log.warn('webhook delivery dropped: no such endpoint for this event type', { webhook, eventId: event.id });
    return { status: 0 };
  }
  const secrets = await secretsFor(webhook);
  if (!secrets.length) throw new WebhookRefused(webhook, undefined, `no secret for webhook "${webhook}"`);
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
    log.warn('webhook delivery failed', {
      webhook,
      eventId: event.id,
      type: event.type,
      error: (error as Error).name,
      ms: Date.now() - started,
    });
    throw new WebhookRefused(webhook, undefined, `webhook "${webhook}" did not answer: ${(error as Error).name}`);
  }
  const entry = { webhook, eventId: event.id, type: event.type, status, ms: Date.now() - started };
  if (status < 200 || status >= 300) {
    log.warn('webhook delivery failed', entry);
    throw new WebhookRefused(webhook, status, `webhook "${webhook}" answered ${status}`);
  }
  log.info('webhook delivered', entry);
  return { status };
}
