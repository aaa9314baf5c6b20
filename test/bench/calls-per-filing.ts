/**
 * What one filing costs the database until its first human task is open: DynamoDB requests
 * (reads and writes, by operation and kinds of item) per complaint, on a metered local stack.
 * Each call is a round trip in Lambda and a serialised write in DynamoDB Local, so this is the
 * budget behind intake's latency on a laptop and the per-complaint bill in the cloud.
 */
import { rmSync } from 'node:fs';
import { startStackProcess, stopStackProcess } from '../support/local-stack-setup';
import { fileOne } from './intake';

interface Reading {
  dynamodb: {
    writeRequests: number;
    readRequests: number;
    writeUnitsByWrite: Record<string, number>;
    readRequestsByRead: Record<string, number>;
  };
  lambdaInvocations: Record<string, number>;
}
const read = async (url: string): Promise<Reading> => (await fetch(`${url}/local/meter`)).json() as Promise<Reading>;

export async function callsPerFiling(count = Number(process.env.BENCH_CALLS_COMPLAINTS ?? 20)): Promise<string[]> {
  const stack = await startStackProcess({ REDRESS_METER: '1', REDRESS_CLOCK_SCALE: '1' });
  try {
    await fileOne(stack.urls.api); // warm every function once
    await new Promise((r) => setTimeout(r, 3000));
    const before = await read(stack.urls.stepFunctions);
    for (let i = 0; i < count; i++) await fileOne(stack.urls.api);
    // Settled: the workflow's work for these filings is done when the meter stops moving.
    let last = -1;
    let now = await read(stack.urls.stepFunctions);
    while (now.dynamodb.writeRequests + now.dynamodb.readRequests !== last) {
      last = now.dynamodb.writeRequests + now.dynamodb.readRequests;
      await new Promise((r) => setTimeout(r, 2000));
      now = await read(stack.urls.stepFunctions);
    }
    const per = (a: number, b: number) => ((a - b) / count).toFixed(1);
    const lines = [
      `calls per filing (to its first open task, ${count} filings): ${per(now.dynamodb.writeRequests, before.dynamodb.writeRequests)} writes, ${per(now.dynamodb.readRequests, before.dynamodb.readRequests)} reads`,
    ];
    const writes = Object.entries(now.dynamodb.writeUnitsByWrite)
      .map(([k, v]) => [k, v - (before.dynamodb.writeUnitsByWrite[k] ?? 0)] as const)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1]);
    for (const [k, v] of writes) lines.push(`  ${k}: ${(v / count).toFixed(2)} WRU per filing`);
    const reads = Object.entries(now.dynamodb.readRequestsByRead)
      .map(([k, v]) => [k, v - (before.dynamodb.readRequestsByRead[k] ?? 0)] as const)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1]);
    for (const [k, v] of reads) lines.push(`  ${k}: ${(v / count).toFixed(2)} reads per filing`);
    const invocations = Object.entries(now.lambdaInvocations)
      .map(([k, v]) => `${k} ${((v - (before.lambdaInvocations[k] ?? 0)) / count).toFixed(1)}`)
      .filter((s) => !s.endsWith(' 0.0'));
    lines.push(`  invocations per filing: ${invocations.join(', ')}`);
    return lines;
  } finally {
    await stopStackProcess(stack.child);
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) for (const line of await callsPerFiling()) console.log(line);
