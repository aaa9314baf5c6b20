import { activeBan, nextBan } from '../../domain/intake-rules';
import { log } from '../../lib/log';
import { settings } from '../../lib/settings';
import { getBanState, recordBan } from '../../store/bans';

const WRITE_ATTEMPTS = 5;

/**
 * Bans a complainant for a malicious complaint (again about a matter with a final ruling), one
 * rung higher each time, and records it on the ruled case. A ban already running is answered
 * as it is; a concurrent ban recorded first is read again.
 */
export async function banForMalice(input: {
  complainantKey: string;
  ruledComplaintId: string;
  channel: string;
  now: Date;
}): Promise<{ permanent: boolean; until?: string }> {
  const { desk } = settings();
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const previous = await getBanState(input.complainantKey);
    const current = activeBan(previous, input.now);
    if (current) return current;
    const ban = nextBan(previous, input.now, desk.intake);
    const recorded = await recordBan({
      complainantKey: input.complainantKey,
      previous,
      ban,
      reason: 'malicious: complained again about a matter with a final ruling',
      ruledComplaintId: input.ruledComplaintId,
      event: {
        at: input.now.toISOString(),
        actor: 'system',
        action: 'complainant.banned',
        details: {
          level: ban.level,
          ...(ban.permanent ? { permanent: true } : { until: ban.until }),
          reason: 'complained-again-after-final-ruling',
          channel: input.channel,
        },
      },
    });
    if (recorded) {
      log.info('complainant banned for a malicious complaint', {
        complaintId: input.ruledComplaintId,
        level: ban.level,
        permanent: ban.permanent,
      });
      return ban;
    }
  }
  throw new Error('could not record a ban after repeated conflicts');
}
