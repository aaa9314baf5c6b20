import { describe, expect, it } from 'vitest';
import { validateComplaintIntake, type ComplaintIntake } from '../../functions/domain/complaint';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import {
  activeBan,
  withheldFromRespondent,
  bodyHashOf,
  canonicalJson,
  complainantKeyOf,
  findDuplicateOf,
  findFlags,
  findRefusal,
  findRuledMatter,
  isIdCardNumber,
  nextBan,
  priorityOf,
  subjectKeyOf,
} from '../../functions/domain/intake-rules';
import { fixtures } from '../support/fixtures';

const rules = DEFAULT_DESK_CONFIG.intake;
const intake = (index: number, overrides: Partial<ComplaintIntake> = {}): ComplaintIntake => {
  const result = validateComplaintIntake(
    { ...structuredClone(fixtures[index]!.body), ...overrides },
    DEFAULT_DESK_CONFIG,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.intake;
};
const byName = (pattern: RegExp) => fixtures.findIndex((f) => pattern.test(f.name));

describe('out-of-scope refusals (社区不接受下列情况投诉)', () => {
  it('refuses an offline dispute between members, with the reason and where else to go', () => {
    const refusal = findRefusal(intake(byName(/neighbourhood dinner/)), rules);
    expect(refusal).toMatchObject({ rule: 'offline-dispute' });
    expect(refusal!.reason['zh-CN']).toContain('线下');
    expect(refusal!.whereElse.en).toMatch(/mediation|police/);
  });

  it('accepts every fixture that is in scope', () => {
    fixtures.forEach((fixture, index) => {
      if (/refused/.test(String(fixture.expect.outcome))) return;
      expect(findRefusal(intake(index), rules), fixture.name).toBeUndefined();
    });
  });

  it('refuses normal moderation with stated grounds, but not a moderator who gave no reason', () => {
    const moderator = byName(/moderator deleted my post/);
    expect(findRefusal(intake(moderator), rules)).toBeUndefined();
    const withGrounds = intake(moderator, {
      description: '版主依照版规第5条删除了我的帖子，理由是重复发帖，我觉得处罚太重了。',
    });
    expect(findRefusal(withGrounds, rules)?.rule).toBe('moderation-with-grounds');
    const disputed = intake(moderator, { description: '版主说依照版规删帖，但我从未重复发帖，理由不成立。' });
    expect(findRefusal(disputed, rules)).toBeUndefined();
    // The same words about a user (not a moderator) are not a moderation complaint.
    expect(
      findRefusal(
        intake(moderator, { subject: { type: 'user', ref: 'uid-1' }, description: withGrounds.description }),
        rules,
      ),
    ).toBeUndefined();
  });

  it('refuses a matter on another platform unless it is a repost of something here', () => {
    expect(findRefusal(intake(0, { description: '有人在其他平台上冒充我开了账号，到处骂人。' }), rules)?.rule).toBe(
      'not-this-platform',
    );
    expect(
      findRefusal(intake(0, { description: '本站这个帖子被人转载到其他网站，内容是捏造的。' }), rules),
    ).toBeUndefined();
  });

  it('takes extra rules from config and switches built-in ones off by id', () => {
    const config = parseDeskConfig({
      ...DEFAULT_DESK_CONFIG,
      intake: {
        disabledRules: ['offline-dispute'],
        refusals: [
          {
            id: 'copyright',
            phrases: ['版权'],
            reason: { 'zh-CN': '版权问题另有渠道', en: 'Copyright has its own channel' },
            whereElse: { 'zh-CN': '请发邮件至 ip@example.org', en: 'Email ip@example.org' },
          },
        ],
      },
    });
    expect(findRefusal(intake(byName(/neighbourhood dinner/)), config.intake)).toBeUndefined();
    expect(findRefusal(intake(0, { description: '这个帖子侵犯了我的版权，照片是我拍的。' }), config.intake)?.rule).toBe(
      'copyright',
    );
  });
});

describe('held for review (人身攻击、暴露个人隐私)', () => {
  it('flags the fixture that exposes a phone number and an address and incites harassment', () => {
    expect(findFlags(intake(byName(/exposes a third party/)), rules).sort()).toEqual([
      'home-address',
      'personal-attack',
      'phone-number',
    ]);
  });

  it('does not flag complaints that report an insult or a leak without repeating private data', () => {
    for (const index of [0, 1, 2, 3, 5, 6, 7, 8, 10, 11])
      expect(findFlags(intake(index), rules), fixtures[index]!.name).toEqual([]);
  });

  it('finds identity card numbers by their check digit, not any 18 digits', () => {
    expect(isIdCardNumber('11010519491231002X')).toBe(true);
    expect(isIdCardNumber('110105194912310021')).toBe(false);
    expect(findFlags(intake(0, { description: '发帖人的身份证号是11010519491231002X，大家记住。' }), rules)).toEqual([
      'id-number',
    ]);
    expect(findFlags(intake(0, { description: '订单号110105194912310021一直没有退款，请处理。' }), rules)).toEqual([]);
  });

  it("does not take the complainant's own phone number for someone else's", () => {
    const own = intake(1, { description: '请尽快回电给我：139 0000 0001，我一直在等处理结果。' });
    expect(findFlags(own, rules)).toEqual([]);
    expect(findFlags({ ...own, complainant: { ...own.complainant, phone: undefined } }, rules)).toEqual([
      'phone-number',
    ]);
  });

  it('finds English addresses and attacks, and extra phrases from config', () => {
    expect(
      findFlags(
        intake(6, {
          description: 'The seller lives at 42 Baker Street and everyone should go there and tell him off.',
        }),
        rules,
      ),
    ).toEqual(['home-address']);
    expect(
      findFlags(
        intake(6, { description: 'This moderator is a moron who deletes posts for fun, every single day.' }),
        rules,
      ),
    ).toEqual(['personal-attack']);
    const config = parseDeskConfig({ ...DEFAULT_DESK_CONFIG, intake: { attackPhrases: ['饭桶'] } });
    expect(findFlags(intake(0, { description: '这个版主就是个饭桶，什么都不管。' }), config.intake)).toEqual([
      'personal-attack',
    ]);
  });
});

describe('duplicates, malice and the ban ladder', () => {
  const now = new Date('2026-11-21T10:00:00Z');
  const earlier = { id: 'A', number: 'TS-20261120-AAAAAA', receivedAt: '2026-11-19T10:00:00Z', open: true };

  it('links to an open case by the same complainant on the same subject within 7 days', () => {
    expect(findDuplicateOf(earlier, now, rules)).toBe(earlier);
    expect(findDuplicateOf({ ...earlier, open: false }, now, rules)).toBeUndefined();
    expect(findDuplicateOf({ ...earlier, receivedAt: '2026-11-13T09:59:00Z' }, now, rules)).toBeUndefined();
  });

  it('knows a matter by its subject, whatever the spelling of its link', () => {
    const a = intake(0);
    const b = intake(0, {
      subject: { ...a.subject, ref: 'HTTPS://www.bbs.example.org/thread-88231-1-1.html/#post-3' },
    });
    expect(subjectKeyOf(a)).toBe(subjectKeyOf(b));
    expect(subjectKeyOf(a)).not.toBe(subjectKeyOf(intake(0, { subject: { ...a.subject, type: 'user' } })));
    expect(complainantKeyOf(' Wang.Xiaoming@Example.com')).toBe(complainantKeyOf('wang.xiaoming@example.com'));
    expect(complainantKeyOf('wang.xiaoming@example.com')).not.toContain('@');
  });

  it('finds the ruled matter among earlier complaints', () => {
    expect(findRuledMatter([earlier])).toBeUndefined();
    expect(findRuledMatter([earlier, { ...earlier, id: 'B', finalRulingAt: '2026-11-20T00:00:00Z' }])?.id).toBe('B');
  });

  it('bans for 3, then 7, then 30 days, then for good', () => {
    const first = nextBan(undefined, now, rules);
    expect(first).toEqual({ level: 1, permanent: false, until: '2026-11-24T10:00:00.000Z' });
    expect(nextBan({ banCount: 1 }, now, rules).until).toBe('2026-11-28T10:00:00.000Z');
    expect(nextBan({ banCount: 2 }, now, rules).until).toBe('2026-12-21T10:00:00.000Z');
    expect(nextBan({ banCount: 3 }, now, rules)).toEqual({ level: 4, permanent: true });
    expect(activeBan({ banCount: 1, bannedUntil: first.until }, now)).toEqual({ permanent: false, until: first.until });
    expect(activeBan({ banCount: 1, bannedUntil: '2026-11-21T09:00:00Z' }, now)).toBeUndefined();
    expect(activeBan({ banCount: 4, permanent: true }, now)).toEqual({ permanent: true });
  });
});

describe('priority (有附沟通情况的优先处理; privacy first)', () => {
  it('puts privacy first, then prior communication', () => {
    expect(priorityOf({ category: 'privacy', contactHistory: '已联系客服' }, DEFAULT_DESK_CONFIG)).toBe(1);
    expect(priorityOf({ category: 'privacy' }, DEFAULT_DESK_CONFIG)).toBe(2);
    expect(priorityOf({ category: 'content', contactHistory: '已联系版主' }, DEFAULT_DESK_CONFIG)).toBe(3);
    expect(priorityOf({ category: 'content', contactHistory: '  ' }, DEFAULT_DESK_CONFIG)).toBe(4);
  });
});

describe('idempotency', () => {
  it('hashes the same body the same, whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    expect(bodyHashOf({ a: 1, b: 2 })).toBe(bodyHashOf({ b: 2, a: 1 }));
    expect(bodyHashOf({ a: 1 })).not.toBe(bodyHashOf({ a: 2 }));
  });
});

describe('desk config', () => {
  it('parses a config written before the intake rules existed, with the defaults', () => {
    const { intake: _i, evidence: _e, ...older } = DEFAULT_DESK_CONFIG;
    const parsed = parseDeskConfig(older);
    expect(parsed.intake).toMatchObject({ duplicateDays: 7, banDays: [3, 7, 30], urgentCategories: ['privacy'] });
    expect(parsed.evidence.videoMaxBytes).toBeGreaterThan(parsed.evidence.maxBytes);
  });

  it('stays small, phrase lists included: it is bundled into every function and parsed at each cold start', () => {
    expect(Buffer.byteLength(JSON.stringify(DEFAULT_DESK_CONFIG))).toBeLessThan(8000);
  });

  it('refuses unknown intake settings', () => {
    expect(() => parseDeskConfig({ ...DEFAULT_DESK_CONFIG, intake: { banDays: [] } })).toThrow(/intake.banDays/);
    expect(() => parseDeskConfig({ ...DEFAULT_DESK_CONFIG, evidence: { contentTypes: ['exe'] } })).toThrow(
      /evidence.contentTypes/,
    );
  });
});

describe('what the other party may read', () => {
  const complainant = { name: '李娜', email: 'lina@example.com', phone: '13812345678' };
  it('withholds the complainant’s name, email and phone, and any phone, email or identity number, keeping the rest', () => {
    const text =
      '我是李娜，电话 138 1234 5678，邮箱 lina.private@qq.com，身份证 110101199003074514，另 +44 20 7946 0958。订单号 202611190001。';
    expect(withheldFromRespondent(text, complainant, 'zh-CN')).toBe(
      '我是〔已隐去〕，电话 〔已隐去〕，邮箱 〔已隐去〕，身份证 〔已隐去〕，另 〔已隐去〕。订单号 202611190001。',
    );
  });
  it('finds the complainant’s own number in any spacing, and marks in the reader’s language', () => {
    expect(
      withheldFromRespondent(
        'Call Lina Chen on 0044 (7946) 0958 or lina@example.com',
        { name: 'Lina Chen', phone: '004479460958' },
        'en',
      ),
    ).toBe('Call [withheld] on [withheld] or [withheld]');
  });
});
