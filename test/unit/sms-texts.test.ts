import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { LANGUAGES } from '../../functions/domain/language';
import { isOptOut, segmentsOf } from '../../functions/domain/sms';
import { TEXTS, renderText } from '../../functions/pages/texts';

/** A short link as long as a deployed one (`https://<desk host>/s/<10 characters>`). */
const LINK = 'https://desk.example.cn/s/AbCdEf2345';
const SAMPLE = {
  name: '李娜',
  number: 'TS-20261207-7K3M9Q',
  trackingUrl: LINK,
  taskUrl: LINK,
  surveyUrl: LINK,
  deadlineAt: '2026-12-09T10:00:00Z',
  expectedBy: '2026-12-11T10:00:00Z',
  outcome: 'withdrawn',
  reason: 'r',
  upheld: true,
  categoryId: 'other',
  acceptanceDeadlineAt: '2026-12-08T10:00:00Z',
  // A message that awaits an answer: its text is the longer one.
  awaitUntil: '2026-12-12T10:00:00Z',
  text: 'x',
  attachmentNames: [],
};

/**
 * Each text template's segments in each language (docs/sms.md gives them). English texts are
 * GSM-7 and fit one segment (160). A Chinese text is UCS-2: one segment holds 70 characters, and
 * the signature (9), the case number (18), a 36-character link and the opt-out line (5) leave 2;
 * so each Chinese text is two segments (up to 134 characters), billed as two.
 */
const SEGMENTS: Record<string, Record<string, number>> = Object.fromEntries(
  Object.keys(TEXTS).map((template) => [template, { 'zh-CN': 2, en: 1 }]),
);

describe('text templates', () => {
  const counted: Record<string, Record<string, string>> = {};
  for (const template of Object.keys(TEXTS))
    for (const language of LANGUAGES) {
      const text = renderText(
        { to: { phone: '+8613800138000', language }, template, data: SAMPLE },
        DEFAULT_DESK_CONFIG,
      );
      const count = segmentsOf(text);
      counted[template] ??= {};
      counted[template][language] = `${count.segments} (${count.encoding}, ${count.units})`;
      it(`${template} (${language}) takes ${SEGMENTS[template]?.[language]} segment(s): ${text}`, () => {
        expect(text).toContain(LINK);
        expect(text).toContain(SAMPLE.number);
        expect(count.segments).toBe(SEGMENTS[template]?.[language]);
      });
    }
  it('prints the table', () => console.log(JSON.stringify(counted, null, 1)));
});

describe('segments', () => {
  it('counts GSM-7 in 160s and 153s, an extension character twice, and anything else as UCS-2 in 70s and 67s', () => {
    expect(segmentsOf('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(segmentsOf('a'.repeat(161)).segments).toBe(2);
    expect(segmentsOf('a'.repeat(306)).segments).toBe(2);
    expect(segmentsOf('a'.repeat(307)).segments).toBe(3);
    expect(segmentsOf('{'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(segmentsOf('中'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(segmentsOf('中'.repeat(71)).segments).toBe(2);
    expect(segmentsOf(`${'a'.repeat(100)}’`).encoding).toBe('UCS-2');
  });
});

describe('opt-out replies', () => {
  it('takes T, TD, STOP and 退订 alone, in any case and with punctuation, and nothing else', () => {
    for (const reply of ['T', 't', 'TD', ' td ', 'STOP', 'Stop.', '退订', '退订！', 'unsubscribe'])
      expect(isOptOut(reply), reply).toBe(true);
    for (const reply of ['', 'thanks', 'stop calling me', 'TDD', 'T D', '不要退订我的投诉'])
      expect(isOptOut(reply), reply).toBe(false);
  });
});
