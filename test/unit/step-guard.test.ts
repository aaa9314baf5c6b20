import { describe, expect, it } from 'vitest';
import { whileOpenCondition } from '../../functions/store/complaints';

/*
 * The condition a deadline's escalation or lapse writes under: the case open and still on the
 * step as the workflow's state read it. Evaluated here as DynamoDB would, on records as stored.
 */
type Item = Record<string, unknown>;

function holds(condition: ReturnType<typeof whileOpenCondition>, item: Item): boolean {
  const name = (token: string) =>
    condition.ExpressionAttributeNames[token as keyof typeof condition.ExpressionAttributeNames] ?? token;
  const value = (token: string) => condition.ExpressionAttributeValues[token];
  const clause = (text: string): boolean => {
    const trimmed = text.trim().replace(/^\((.*)\)$/, '$1');
    if (trimmed.includes(' OR ')) return trimmed.split(' OR ').some(clause);
    const exists = /^attribute_(not_)?exists\((\S+)\)$/.exec(trimmed);
    if (exists) return (item[name(exists[2]!)] !== undefined) !== !!exists[1];
    const compare = /^(\S+) (=|<>|<) (\S+)$/.exec(trimmed);
    if (!compare) throw new Error(`clause not understood: ${trimmed}`);
    const [left, right] = [item[name(compare[1]!)], value(compare[3]!)];
    if (compare[2] === '<') return left !== undefined && (left as number) < (right as number);
    return compare[2] === '=' ? left === right : left !== right;
  };
  return condition.ConditionExpression.split(' AND ').every(clause);
}

const open = {
  pk: 'COMPLAINT#c1',
  status: 'acceptance-review',
  currentStep: 'acceptance',
  level: 1,
  lastDecisionAt: '2026-12-01T10:00:00.000Z',
};

describe('the step guard', () => {
  it('holds while the case is open, on the step and level as read, with no decision recorded since', () => {
    expect(
      holds(whileOpenCondition(undefined, { step: 'acceptance', level: 1, lastDecisionAt: open.lastDecisionAt }), open),
    ).toBe(true);
  });

  it('fails once a decision moved the case on, a later decision was recorded, the level changed, or the case closed', () => {
    const asRead = { step: 'acceptance', level: 1, lastDecisionAt: open.lastDecisionAt };
    expect(holds(whileOpenCondition(undefined, asRead), { ...open, currentStep: 'investigation' })).toBe(false);
    expect(holds(whileOpenCondition(undefined, asRead), { ...open, lastDecisionAt: '2026-12-02T09:00:00.000Z' })).toBe(
      false,
    );
    expect(holds(whileOpenCondition(undefined, asRead), { ...open, level: 2 })).toBe(false);
    expect(holds(whileOpenCondition(undefined, asRead), { ...open, status: 'closed' })).toBe(false);
  });

  it('reads a record that names no level, or no decision yet, as level 0 and no decision', () => {
    const { level: _level, lastDecisionAt: _last, ...fresh } = open;
    expect(holds(whileOpenCondition(undefined, { step: 'acceptance', level: 0 }), fresh)).toBe(true);
    expect(holds(whileOpenCondition(undefined, { step: 'acceptance', level: 0 }), { ...fresh, level: 0 })).toBe(true);
    expect(
      holds(whileOpenCondition(undefined, { step: 'acceptance', level: 0 }), {
        ...fresh,
        lastDecisionAt: open.lastDecisionAt,
      }),
    ).toBe(false);
  });

  it('with withoutEvidence, holds only while no evidence is recorded on the case (asking for it, or giving up on it)', () => {
    const opening = whileOpenCondition(undefined, undefined, true);
    expect(holds(opening, open)).toBe(true);
    expect(holds(opening, { ...open, evidenceCount: 0 })).toBe(true);
    expect(holds(opening, { ...open, evidenceCount: 1 })).toBe(false);
    expect(holds(opening, { ...open, status: 'closed' })).toBe(false);
    // Without it, evidence changes nothing.
    expect(holds(whileOpenCondition(), { ...open, evidenceCount: 3 })).toBe(true);
  });
});
