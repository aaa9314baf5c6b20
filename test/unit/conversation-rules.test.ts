import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CANNED_REPLIES,
  fillCannedReply,
  parseCannedReply,
  placeholdersIn,
  PLACEHOLDERS,
} from '../../functions/domain/canned-replies';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { parseMessage } from '../../functions/domain/messages';
import { complainantMessages, threadOf } from '../../functions/domain/thread';
import type { ComplaintEvent } from '../../functions/domain/history';

describe('canned replies', () => {
  it('refuses an unknown placeholder on save, naming the field, in the reader’s language', () => {
    const en = parseCannedReply({ title: 'T', textZh: '您好 {name}', textEn: 'Hi {nmae}, see {number}' }, 'en');
    expect(en).toEqual({
      ok: false,
      errors: [{ path: 'textEn', message: expect.stringContaining('{nmae}') }],
    });
    const zh = parseCannedReply({ title: '', textZh: '{foo}', textEn: 'ok' }, 'zh-CN');
    expect(zh.ok).toBe(false);
    if (!zh.ok) expect(zh.errors.map((e) => e.path)).toEqual(['title', 'textZh']);
  });

  it('fills every placeholder in the recipient’s language', () => {
    const reply = {
      text: {
        'zh-CN': '{name}，投诉 {number}（{category}）由 {holder} 处理，{deadline} 前答复。',
        en: 'Dear {name}, {number} ({category}) is with {holder}, answer by {deadline}.',
      },
    };
    const values = { number: 'TS-1', name: '王芳', category: '账号', holder: 'h@x', deadline: '12月9日' };
    expect(fillCannedReply(reply, 'zh-CN', values)).toBe('王芳，投诉 TS-1（账号）由 h@x 处理，12月9日 前答复。');
    expect(fillCannedReply(reply, 'en', { ...values, name: 'Sam', category: 'Account' })).toBe(
      'Dear Sam, TS-1 (Account) is with h@x, answer by 12月9日.',
    );
  });

  it('seeds the desk with replies whose placeholders are all known', () => {
    expect(DEFAULT_DESK_CONFIG.cannedReplies).toBeUndefined();
    expect(DEFAULT_CANNED_REPLIES.length).toBeGreaterThan(0);
    for (const reply of DEFAULT_CANNED_REPLIES)
      for (const text of [reply.text['zh-CN'], reply.text.en])
        for (const p of placeholdersIn(text)) expect(PLACEHOLDERS).toContain(p);
  });
});

describe('messages', () => {
  it('names every bad field of a message', () => {
    const parsed = parseMessage(
      { to: 'x', text: '', awaitAnswer: 'on', answerWithinDays: '99', answerBy: '2026-01-01' },
      'en',
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).toEqual(['to', 'text', 'answerBy', 'answerWithinDays']);
  });

  it('gives the complainant their side of the thread: never a note, never the respondent’s side', () => {
    const at = (n: number) => `2026-12-0${n}T00:00:00.000Z`;
    const events: ComplaintEvent[] = [
      { at: at(1), actor: 'handler', action: 'staff.noted', details: { note: 'secret', by: 'h@x' } },
      {
        at: at(2),
        actor: 'handler',
        action: 'message.to-respondent',
        details: { to: 'respondent', text: 'R?', by: 'h@x' },
      },
      { at: at(3), actor: 'respondent', action: 'respondent.wrote', details: { text: 'R!' } },
      {
        at: at(4),
        actor: 'handler',
        action: 'message.to-complainant',
        details: { to: 'complainant', text: 'C?', by: 'h@x', complainantNote: { 'zh-CN': 'C?', en: 'C?' } },
      },
      { at: at(5), actor: 'complainant', action: 'complainant.replied', details: { channel: 'email', text: 'C!' } },
    ];
    expect(threadOf(events, 'complainant').map((e) => e.text)).toEqual(['C?', 'C!']);
    expect(threadOf(events, 'complainant').some((e) => 'by' in e)).toBe(false);
    expect(threadOf(events, 'respondent').map((e) => e.text)).toEqual(['R?', 'R!']);
    expect(threadOf(events, 'staff').map((e) => e.kind)).toEqual(['note', 'message', 'message', 'message', 'message']);
  });

  it('shows the complainant the messages of their cases merged into this one, marked and in time order, never their notes', () => {
    const at = (n: number) => `2026-12-0${n}T00:00:00.000Z`;
    const toComplainant = (n: number, text: string): ComplaintEvent => ({
      at: at(n),
      actor: 'handler',
      action: 'message.to-complainant',
      details: { to: 'complainant', text, by: 'h@x', complainantNote: { 'zh-CN': text, en: text } },
    });
    const merged = [
      {
        id: 'A',
        number: 'TS-A',
        events: [
          toComplainant(1, 'on A'),
          { at: at(2), actor: 'handler', action: 'staff.noted', details: { note: 'secret', by: 'h@x' } },
          { at: at(4), actor: 'complainant', action: 'complainant.wrote', details: { text: 'answer on A' } },
        ] as ComplaintEvent[],
      },
    ];
    const messages = complainantMessages([toComplainant(3, 'on B')], merged, 'en');
    expect(messages.map((m) => [m.text, m.fromCase?.number])).toEqual([
      ['on A', 'TS-A'],
      ['on B', undefined],
      ['answer on A', 'TS-A'],
    ]);
  });
});
