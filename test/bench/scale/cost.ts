/**
 * Cost per 1,000 happy-path complaints at a small desk and at a million a day. The small desk is
 * measured: a metered local stack drives BENCH_COST_COMPLAINTS happy paths (default 6) with the
 * analytics roll-up running as often as it may, so each complaint's figures are rolled up nearly
 * alone, as at 10 a day. At a million a day every driver but the analytics writes stays the same
 * per complaint (no item or job grows with volume); the analytics writes are the ones the
 * analytics line measures at that volume (ANALYTICS_WRU_AT_MILLION, from its 1,000,000-complaint
 * day). The second figure is that arithmetic, said so.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_DESK_CONFIG } from '../../../functions/domain/config';
import { startStackProcess, stopStackProcess } from '../../support/local-stack-setup';
import { costPer1000, measureHappyPath, PRICES, readMeter } from '../cost';

/** Analytics write units per complaint in a day of a million (the analytics line of this bench). */
const ANALYTICS_WRU_AT_MILLION = Number(process.env.BENCH_ANALYTICS_WRU_AT_MILLION ?? 1.7);

export default async function benchScaleCost(): Promise<string[]> {
  const complaints = Number(process.env.BENCH_COST_COMPLAINTS ?? 6);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'redress-cost-'));
  const configFile = path.join(dir, 'redress.config.json');
  // Figures rolled up at every tick (refreshSeconds 0): at 10 a day each complaint's are rolled up alone.
  writeFileSync(
    configFile,
    JSON.stringify({
      mailFrom: 'complaints@redress.test',
      desk: { ...DEFAULT_DESK_CONFIG, analytics: { refreshSeconds: 0 } },
    }),
  );
  const stack = await startStackProcess({
    REDRESS_METER: '1',
    REDRESS_CLOCK_SCALE: '1',
    REDRESS_RECONCILE_EVERY_MS: '1000',
    REDRESS_CONFIG_FILE: configFile,
  });
  try {
    const before = await readMeter(stack.urls);
    const drivers = await measureHappyPath(stack.urls, complaints, 3);
    // The roll-up of the last complaints' figures runs on the next ticks.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const after = await readMeter(stack.urls);
    const analytics = (reading: typeof before) =>
      Object.entries(reading.dynamodb?.writeUnitsByPartitionKey ?? {})
        .filter(([key]) => key.startsWith('ANALYTICS'))
        .reduce((sum, [, units]) => sum + units, 0);
    const analyticsWru = (analytics(after) - analytics(before)) / complaints;
    const small = costPer1000(drivers).total;
    const million = small - (analyticsWru - ANALYTICS_WRU_AT_MILLION) * 1000 * PRICES.dynamoDbPerWriteUnit;
    return [
      `cost per 1,000 happy-path complaints: $${small.toFixed(2)} at 10/day (measured: ${drivers.writeUnits.toFixed(1)} WRU, ${analyticsWru.toFixed(1)} of them analytics), $${million.toFixed(2)} at 1,000,000/day (the same drivers with ${ANALYTICS_WRU_AT_MILLION} analytics WRU, as the analytics line measures at that volume)`,
    ];
  } finally {
    await stopStackProcess(stack.child);
    rmSync(stack.dataDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
