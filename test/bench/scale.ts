/**
 * `npm run bench:scale`: each design point of the data design, measured against DynamoDB Local
 * with the product's own use cases and stores. Every module in test/bench/scale/ exports a default
 * function that runs its measurement and answers the lines to print (one per design point); they
 * run one after another, so their figures do not disturb each other. Measures, never asserts.
 */
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
  const module = (await import(path.join(dir, file))) as { default: () => Promise<string[]> };
  try {
    for (const line of await module.default()) console.log(line);
  } catch (error) {
    console.log(`${name}: failed: ${(error as Error).stack ?? error}`);
    process.exitCode = 1;
  }
  console.error(`(${name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
