import { describe, expect, it } from 'vitest';
import { CLAIM_SETTLES_MS, claimStanding, isLostClaim } from '../../functions/domain/task-claims';

const now = new Date('2025-11-20T08:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe('a decision claimed on a task link', () => {
  it('is none while the link is open, moved, or decided without a time', () => {
    expect(claimStanding(undefined, {}, now)).toBe('none');
    expect(claimStanding({ state: 'open' }, {}, now)).toBe('none');
    expect(claimStanding({ state: 'moved', decidedAt: ago(1000) }, {}, now)).toBe('none');
    expect(claimStanding({ state: 'decided' }, {}, now)).toBe('none');
  });

  it('is in flight until it has had the time to be passed on and recorded, whether recorded yet or not', () => {
    expect(claimStanding({ state: 'decided', decidedAt: ago(1000) }, {}, now)).toBe('in-flight');
    expect(claimStanding({ state: 'decided', decidedAt: ago(1000) }, { lastDecisionAt: ago(1000) }, now)).toBe('in-flight');
    expect(claimStanding({ state: 'decided', decidedAt: ago(CLAIM_SETTLES_MS - 1) }, {}, now)).toBe('in-flight');
  });

  it('is recorded once older than that and applied to the case, lost when the case never recorded it', () => {
    expect(claimStanding({ state: 'decided', decidedAt: ago(CLAIM_SETTLES_MS) }, { lastDecisionAt: ago(CLAIM_SETTLES_MS) }, now)).toBe('recorded');
    expect(claimStanding({ state: 'decided', decidedAt: ago(CLAIM_SETTLES_MS) }, { lastDecisionAt: ago(CLAIM_SETTLES_MS * 3) }, now)).toBe('lost');
    expect(claimStanding({ state: 'decided', decidedAt: ago(CLAIM_SETTLES_MS) }, {}, now)).toBe('lost');
  });

  it('takes a decision again only when lost on the link the case still waits on', () => {
    const link = { linkIdHash: 'h1', state: 'decided', decidedAt: ago(CLAIM_SETTLES_MS + 1) };
    expect(isLostClaim(link, { currentTaskLinkHash: 'h1' }, now)).toBe(true);
    expect(isLostClaim(link, { currentTaskLinkHash: 'h2' }, now)).toBe(false);
    expect(isLostClaim(link, { currentTaskLinkHash: 'h1', lastDecisionAt: link.decidedAt }, now)).toBe(false);
    expect(isLostClaim({ ...link, decidedAt: ago(1000) }, { currentTaskLinkHash: 'h1' }, now)).toBe(false);
  });
});
