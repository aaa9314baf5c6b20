/**
 * `npm run bench:scale`: each design point of the data design, measured against DynamoDB Local
 * with the product's own use cases and stores. Every module in test/bench/scale/ exports a default
 * function that runs its measurement and answers the lines to print (one per design point); each
 * runs in a process of its own, one after another, so no measurement disturbs or configures
 * another. Measures, never asserts.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(import.meta.dirname, 'scale');
const only = process.env.BENCH_SCALE_ONLY?.split(',');
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  const name = file.replace(/\.ts$/, '');
  if (only && !only.includes(name)) continue;
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'scale-one.ts'), path.join(dir, file)],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (run.status !== 0) {
    console.log(`${name}: failed (exit ${run.status ?? run.signal})`);
    process.exitCode = 1;
  }
  console.error(`(${name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
