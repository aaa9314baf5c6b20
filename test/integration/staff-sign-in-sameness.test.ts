import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { ownStack } from '../support/own-stack';
import { emailsTo, stack } from '../support/stack-client';
import { scanAll } from '../support/table';

/**
 * Which addresses are staff must not show in how a sign-in request is answered: a staff and a
 * non-staff address get the same answer after the same table work, and no mail is sent before the
 * answer (the staff mail waits in the outbox, which its scheduled sender delivers). Not a timing
 * assertion: the work is compared, as the local stack's capacity meter counts it. The schedule is
 * held still here (a day per tick) so that nothing else writes while a request is measured.
 */
ownStack({ REDRESS_METER: '1', REDRESS_RECONCILE_EVERY_MS: String(24 * 3600 * 1000) });

const STAFF = DEFAULT_DESK_CONFIG.teams.privacy!.handlers[0]!;

type Meter = { dynamodb: { writeRequests: number; writeUnitsByWrite: Record<string, number> } };
const meter = async () => (await (await fetch(`${stack().stepFunctions}/local/meter`)).json()) as Meter;

/** One sign-in request, with the table writes it made (their count, and each write's operation and item kinds). */
async function measured(email: string, accept: 'json' | 'html') {
  const before = await meter();
  const response = await fetch(`${stack().api}/staff/sign-in?lang=en`, {
    method: 'POST',
    headers:
      accept === 'json'
        ? { 'content-type': 'application/json', accept: 'application/json' }
        : { 'content-type': 'application/x-www-form-urlencoded' },
    body: accept === 'json' ? JSON.stringify({ email }) : new URLSearchParams({ email }).toString(),
  });
  const body = await response.text();
  const after = await meter();
  const kinds = Object.keys(after.dynamodb.writeUnitsByWrite)
    .filter((k) => after.dynamodb.writeUnitsByWrite[k] !== before.dynamodb.writeUnitsByWrite[k])
    .sort();
  return {
    status: response.status,
    body,
    writes: after.dynamodb.writeRequests - before.dynamodb.writeRequests,
    kinds,
  };
}

describe('a sign-in request for a staff and for a non-staff address', () => {
  it('is answered alike after the same table work, and mails nothing before answering: the staff mail waits in the outbox', async () => {
    for (const accept of ['html', 'json'] as const) {
      const outsider = `outsider-${accept}-${Date.now().toString(36)}@example.com`;
      const staff = await measured(STAFF, accept);
      const other = await measured(outsider, accept);
      expect(other.status).toBe(staff.status);
      expect(other.body).toBe(staff.body);
      expect(other.writes).toBe(staff.writes);
      expect(other.kinds).toEqual(staff.kinds);
    }
    // Nothing went to the staff member while the requests were answered; their mail is queued.
    expect(await emailsTo(STAFF)).toEqual([]);
    const queued = (await scanAll()).filter(
      (item) => String(item.sk).startsWith('OUTBOX#') && item.purpose === 'staff.sign-in',
    );
    expect(queued.filter((item) => item.message !== undefined)).toHaveLength(2);
  });
});
