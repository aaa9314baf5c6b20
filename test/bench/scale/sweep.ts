/**
 * The stalled-case sweep at scale: what one run reads with many cases open and a few stalled.
 *
 * A million open cases cannot be written into DynamoDB Local in minutes, so this seeds
 * BENCH_SWEEP_OPEN (50,000) open cases straight into a private, in-memory DynamoDB Local
 * (BatchWriteItem, the product's own item builder and due times: test/support/sweep-seed.ts),
 * spread as a desk filing a million a day holds them (received over three days, due from minutes
 * to a week ahead), BENCH_SWEEP_STALLED (100) of them quiet and past due with no execution. Then
 * the product's own sweep (app/sweep-stalled-cases.ts) runs once, against a local Step Functions
 * engine whose executions never finish, through the capacity meter (infra/local/capacity-meter.ts),
 * which counts the read units and requests DynamoDB reports; then a second, idle run. What a run
 * reads follows what is due, not how many cases are open.
 *
 * Runs in a process of its own: the product's clients take their endpoints from the environment.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const OPEN = Number(process.env.BENCH_SWEEP_OPEN ?? 50_000);
const STALLED = Number(process.env.BENCH_SWEEP_STALLED ?? 100);
const MEASURE_FLAG = '--measure-sweep';

const count = (n: number) => n.toLocaleString('en-US');
const units = (n: number) => (Number.isInteger(n) ? count(n) : n.toFixed(1));

async function measure(): Promise<string[]> {
  const { RIG_TABLE, startSweepRig } = await import('../../support/sweep-rig');
  const rig = await startSweepRig();
  try {
    const { seedOpenCases, writeSeed } = await import('../../support/sweep-seed');
    const seedStarted = performance.now();
    const { written, stalledIds } = await writeSeed(
      rig.documents,
      RIG_TABLE,
      seedOpenCases({ open: OPEN, stalled: STALLED, now: new Date() }),
    );
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const { sweepStalledCases, DESCRIBES_PER_SECOND } = await import('../../../functions/app/sweep-stalled-cases');
    const run = async () => {
      const before = rig.meter.reading();
      const started = performance.now();
      const result = await sweepStalledCases({ budgetMs: 120_000 });
      const seconds = (performance.now() - started) / 1000;
      const after = rig.meter.reading();
      return {
        result,
        seconds,
        readUnits: after.readUnits - before.readUnits,
        readRequests: after.readRequests - before.readRequests,
        writeUnits: after.writeUnits - before.writeUnits,
      };
    };
    const first = await run();
    const { listEvents } = await import('../../../functions/store/events');
    const redrivenIds = (
      await Promise.all(
        stalledIds.map(async (id) =>
          (await listEvents(id)).some((event) => event.action === 'workflow.redriven') ? [id] : [],
        ),
      )
    ).flat();
    const idle = await run();
    return [
      `sweep: ${count(written)} open (seeded directly in ${seedSeconds.toFixed(0)} s, as a million-a-day desk holds them), ${count(stalledIds.length)} stalled: found ${count(first.result.due)}, re-drove ${count(redrivenIds.length)} of the ${count(stalledIds.length)}, read ${units(first.readUnits)} RRU in ${count(first.readRequests)} requests, wrote ${units(first.writeUnits)} WRU, ${first.seconds.toFixed(1)} s (DescribeExecution paced at ${DESCRIBES_PER_SECOND}/s)`,
      `sweep, the next run (nothing due): found ${count(idle.result.due)}, read ${units(idle.readUnits)} RRU in ${count(idle.readRequests)} requests, ${idle.seconds.toFixed(2)} s`,
    ];
  } finally {
    await rig.stop();
  }
}

/** `npm run bench:scale` calls this: the measured line(s). */
export default async function benchSweep(): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), MEASURE_FLAG], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const last = output.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{'))
    throw new Error(`the sweep bench exited with ${code}: ${output.slice(-2000)}`);
  return (JSON.parse(last) as { lines: string[] }).lines;
}

if (process.argv.includes(MEASURE_FLAG)) {
  const lines = await measure();
  process.stdout.write(`${JSON.stringify({ lines })}\n`);
  process.exit(0);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchSweep()) console.log(line);
}
