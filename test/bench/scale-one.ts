/** Runs one design point's measurement (a module of test/bench/scale/) and prints its lines. */
import path from 'node:path';

const file = process.argv[2];
if (!file) throw new Error('usage: tsx test/bench/scale-one.ts <module of test/bench/scale/>');
const module = (await import(path.resolve(file))) as { default: () => Promise<string[]> };
for (const line of await module.default()) console.log(line);
