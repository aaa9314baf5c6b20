import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  signatureHeader,
  signedHeaders,
  verifySignature,
  webhookRetryDelaySeconds,
} from '../../functions/domain/webhook-signing';

const OLD = 'old-secret-old-secret-old-secret-0000';
const NEW = 'new-secret-new-secret-new-secret-1111';
const body = '{"id":"01JN0000000000000000000000","type":"complaint.closed"}';
const now = new Date('2026-03-02T08:00:00.000Z');
const ts = String(now.getTime() / 1000);

describe('webhook signatures', () => {
  it('are HMAC-SHA256 over "<timestamp>.<body>" in hex, as docs/webhooks.md shows a receiver computing it', () => {
    const expected = createHmac('sha256', NEW).update(`${ts}.${body}`).digest('hex');
    expect(signedHeaders([NEW], now, body)).toEqual({ 'redress-timestamp': ts, 'redress-signature': `v1=${expected}` });
  });

  it('carry one signature per active secret while a secret is rotated, and a receiver knowing either accepts', () => {
    const header = signatureHeader([NEW, OLD], Number(ts), body);
    expect(header.split(', ')).toHaveLength(2);
    for (const secrets of [[OLD], [NEW], [NEW, OLD]])
      expect(verifySignature({ secrets, timestamp: ts, signature: header, body, now })).toEqual({ ok: true });
    expect(
      verifySignature({
        secrets: ['another-secret-another-secret-22222'],
        timestamp: ts,
        signature: header,
        body,
        now,
      }),
    ).toEqual({
      ok: false,
      why: 'mismatch',
    });
  });

  it('refuse a changed body, a stale or future timestamp, and a missing or malformed header', () => {
    const signature = signatureHeader([NEW], Number(ts), body);
    const check = (over: Partial<Parameters<typeof verifySignature>[0]>) =>
      verifySignature({ secrets: [NEW], timestamp: ts, signature, body, now, ...over });
    expect(check({ body: body.replace('closed', 'opened') })).toEqual({ ok: false, why: 'mismatch' });
    expect(check({ now: new Date(now.getTime() + 301_000) })).toEqual({ ok: false, why: 'stale' });
    expect(check({ now: new Date(now.getTime() - 301_000) })).toEqual({ ok: false, why: 'stale' });
    expect(check({ now: new Date(now.getTime() + 299_000) })).toEqual({ ok: true });
    expect(check({ signature: undefined })).toEqual({ ok: false, why: 'missing' });
    expect(check({ signature: 'v1=zz' })).toEqual({ ok: false, why: 'malformed' });
    expect(check({ timestamp: 'yesterday' })).toEqual({ ok: false, why: 'malformed' });
  });

  it('failed deliveries wait 30 s, doubling, at most an hour', () => {
    expect([1, 2, 3, 4, 8, 12].map(webhookRetryDelaySeconds)).toEqual([30, 60, 120, 240, 3600, 3600]);
  });
});
