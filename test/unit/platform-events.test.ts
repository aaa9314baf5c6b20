import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import type { ComplaintEvent } from '../../functions/domain/history';
import {
  actionStatuses,
  closedPlatformEvent,
  nextPublishTry,
  OUTBOX_ALARM_SECONDS,
  outboxBacklog,
  platformActionsOf,
  platformEventsOf,
} from '../../functions/domain/platform-events';
import { schemaErrors } from '../support/event-schemas';

const AT = '2026-03-02T08:00:00.000Z';
const complaint = {
  id: '01JN0000000000000000000000',
  number: 'TS-20260302-ABC123',
  category: 'content',
  channel: 'web' as const,
  subject: { type: 'post' as const, ref: 'https://forum.example/t/42', name: '张三的帖子' },
};
const decided = (details: Record<string, unknown>, action: ComplaintEvent['action'] = 'decision.recorded') => ({
  at: AT,
  actor: 'handler',
  action,
  details,
});
let n = 0;
const ids = () => `01JN00000000000000000000${String(n++ % 100).padStart(2, '0')}`;

describe('platform events: which change makes which event', () => {
  it('a filing is complaint.received, with the number, category, channel and subject, and no personal data', () => {
    const [event, ...rest] = platformEventsOf(
      complaint,
      [{ at: AT, actor: 'complainant', action: 'complaint.received' }],
      DEFAULT_DESK_CONFIG,
      ids,
    );
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'complaint.received',
      version: 1,
      occurredAt: AT,
      complaintId: complaint.id,
      data: {
        number: complaint.number,
        category: 'content',
        channel: 'web',
        subject: { type: 'post', ref: complaint.subject.ref },
      },
    });
    expect(JSON.stringify(event)).not.toContain('张三');
    expect(schemaErrors(event!)).toEqual([]);
  });

  it('acceptance in a category that locks subjects also asks for the lock; elsewhere it does not', () => {
    const accepted = platformEventsOf(
      complaint,
      [decided({ step: 'acceptance', decision: 'accept' })],
      DEFAULT_DESK_CONFIG,
      ids,
    );
    expect(accepted.map((e) => e.type)).toEqual(['complaint.accepted', 'subject.lock-requested']);
    for (const e of accepted) expect(schemaErrors(e)).toEqual([]);
    const account = platformEventsOf(
      { ...complaint, category: 'account' },
      [decided({ step: 'acceptance', decision: 'accept' })],
      DEFAULT_DESK_CONFIG,
      ids,
    );
    expect(account.map((e) => e.type)).toEqual(['complaint.accepted']);
    // Nothing to lock without the subject's reference.
    const noRef = platformEventsOf(
      { ...complaint, subject: { type: 'post' } },
      [decided({ step: 'acceptance', decision: 'accept' })],
      DEFAULT_DESK_CONFIG,
      ids,
    );
    expect(noRef.map((e) => e.type)).toEqual(['complaint.accepted']);
  });

  it('a rejection is complaint.rejected with its reason; a request for information is no event', () => {
    const [rejected] = platformEventsOf(
      complaint,
      [decided({ step: 'acceptance', decision: 'reject', reason: 'duplicate' })],
      DEFAULT_DESK_CONFIG,
      ids,
    );
    expect(rejected).toMatchObject({ type: 'complaint.rejected', data: { reason: 'duplicate' } });
    expect(schemaErrors(rejected!)).toEqual([]);
    expect(
      platformEventsOf(complaint, [decided({ step: 'acceptance' }, 'information.requested')], DEFAULT_DESK_CONFIG, ids),
    ).toEqual([]);
  });

  it('findings are decision.recorded with the platform actions they decide', () => {
    const [event] = platformEventsOf(
      complaint,
      [decided({ step: 'investigation', actions: ['remove-content-and-warn', 'other'] }, 'findings.recorded')],
      DEFAULT_DESK_CONFIG,
      ids,
    );
    expect(event).toMatchObject({ type: 'decision.recorded', data: { actions: ['remove-content', 'warn-user'] } });
    expect(schemaErrors(event!)).toEqual([]);
    expect(platformActionsOf(['restore-account-and-apologise', 'privacy-measures'])).toEqual([
      'restore-account',
      'protect-privacy',
    ]);
  });

  it('a review ruling and a close are review.ruled and complaint.closed', () => {
    const [ruled] = platformEventsOf(
      complaint,
      [decided({ ruling: 'overturn' }, 'review.ruled')],
      DEFAULT_DESK_CONFIG,
      ids,
    );
    expect(ruled).toMatchObject({ type: 'review.ruled', data: { ruling: 'overturn' } });
    const closed = closedPlatformEvent(complaint.id, 'withdrawn', AT, ids);
    expect(closed).toMatchObject({ type: 'complaint.closed', data: { outcome: 'withdrawn' } });
    for (const e of [ruled!, closed]) expect(schemaErrors(e)).toEqual([]);
  });

  it('the schemas refuse what they do not describe (an extra field, an unknown action)', () => {
    const [event] = platformEventsOf(
      complaint,
      [decided({ actions: ['other'] }, 'findings.recorded')],
      DEFAULT_DESK_CONFIG,
      ids,
    );
    expect(schemaErrors({ ...event!, data: { ...event!.data, email: 'a@b.c' } })).not.toEqual([]);
    expect(schemaErrors({ ...event!, data: { ...event!.data, actions: ['burn-it'] } })).not.toEqual([]);
  });

  it('ids are unique per event', () => {
    const events = platformEventsOf(
      complaint,
      [decided({ step: 'acceptance', decision: 'accept' })],
      DEFAULT_DESK_CONFIG,
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});

describe('the event outbox and the desk config', () => {
  it('a failed publish is tried again after 30 s, doubling, at most an hour apart', () => {
    const now = new Date(AT);
    const wait = (attempts: number) => (nextPublishTry(attempts, now).getTime() - now.getTime()) / 1000;
    expect([1, 2, 3, 10, 20].map(wait)).toEqual([30, 60, 120, 3600, 3600]);
  });

  it('webhooks name known event types and unique ids', () => {
    const base = { ...DEFAULT_DESK_CONFIG, integrations: undefined };
    expect(() =>
      parseDeskConfig({
        ...base,
        integrations: { webhooks: [{ id: 'forum', url: 'https://forum.example/hook', events: ['complaint.eaten'] }] },
      }),
    ).toThrow(/integrations\.webhooks\.0\.events/);
    expect(() =>
      parseDeskConfig({
        ...base,
        integrations: {
          webhooks: [
            { id: 'forum', url: 'https://a.example/', events: ['complaint.closed'] },
            { id: 'forum', url: 'https://b.example/', events: ['complaint.closed'] },
          ],
        },
      }),
    ).toThrow(/duplicate webhook id/);
  });
});

describe('which decided actions the platform confirmed', () => {
  it('pairs each decided action with the confirmation that came after it', () => {
    const events: ComplaintEvent[] = [
      decided({ step: 'acceptance', decision: 'accept' }),
      {
        at: '2026-03-02T09:00:00.000Z',
        actor: 'platform',
        action: 'action.confirmed',
        details: { action: 'lock-subject' },
      },
      { ...decided({ actions: ['remove-content-and-warn'] }, 'findings.recorded'), at: '2026-03-03T08:00:00.000Z' },
      {
        at: '2026-03-03T09:00:00.000Z',
        actor: 'platform',
        action: 'action.confirmed',
        details: { action: 'remove-content', reference: 'mod-log-7' },
      },
    ];
    expect(actionStatuses(events, true)).toEqual([
      { action: 'lock-subject', decidedAt: AT, confirmedAt: '2026-03-02T09:00:00.000Z' },
      {
        action: 'remove-content',
        decidedAt: '2026-03-03T08:00:00.000Z',
        confirmedAt: '2026-03-03T09:00:00.000Z',
        reference: 'mod-log-7',
      },
      { action: 'warn-user', decidedAt: '2026-03-03T08:00:00.000Z' },
    ]);
    expect(actionStatuses(events, false).map((s) => s.action)).toEqual(['remove-content', 'warn-user']);
  });
});

describe('the event outbox’s backlog, as the publisher reports it', () => {
  it('counts the waiting events it read and the oldest one’s wait since its change; 0 when none', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    expect(outboxBacklog([], now)).toEqual({ waiting: 0, oldestSeconds: 0 });
    expect(outboxBacklog(['2026-12-07T11:59:00Z', '2026-12-07T11:40:00Z', 'not a time'], now)).toEqual({
      waiting: 3,
      oldestSeconds: 1200,
    });
    expect(1200).toBeGreaterThan(OUTBOX_ALARM_SECONDS);
  });
});
