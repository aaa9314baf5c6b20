/**
 * What the scale benches stand on: a private DynamoDB Local (in memory) with the product's table
 * (infra/local/bootstrap.ts), behind the capacity meter's proxy, so each measurement reads the
 * queries and read units the product's own stores spent. Each bench runs in a process of its own
 * (`inOwnProcess`): the product reads its settings (table, desk, endpoints) once per process.
 */
import { spawn } from 'node:child_process';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeskConfig } from '../../../functions/domain/config';
import { ensureComplaintsTable } from '../../../infra/local/bootstrap';
import { CapacityMeter, startCapacityMeterProxy, type CapacityReading } from '../../../infra/local/capacity-meter';
import { LocalDynamoDb } from '../../../infra/local/dynamodb-local';
import { freePort } from '../../../infra/local/prerequisites';

export const TABLE_NAME = 'Complaints';
const LINES = 'BENCH_LINES ';

export interface PrivateTable {
  /** Straight to DynamoDB Local: for seeding, not metered. */
  direct: DynamoDBDocumentClient;
  meter: CapacityMeter;
  /** The product's endpoint (the metering proxy), also set as AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint: string;
  stop: () => Promise<void>;
}

/** Starts the table and points the product's settings at it (call before importing product modules that read them). */
export async function privateTable(desk: DeskConfig, env: Record<string, string> = {}): Promise<PrivateTable> {
  const dynamoDb = new LocalDynamoDb();
  const url = await dynamoDb.start({ port: await freePort() });
  const meter = new CapacityMeter();
  const proxy = await startCapacityMeterProxy(url, meter);
  const client = new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureComplaintsTable(client, TABLE_NAME);
  Object.assign(process.env, {
    TABLE_NAME,
    REDRESS_CONFIG: JSON.stringify(desk),
    PUBLIC_BASE_URL: 'http://127.0.0.1:1',
    MAIL_FROM: 'complaints@redress.local',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
    REDRESS_LOG_LEVEL: 'silent',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...env,
  });
  return {
    direct: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    meter,
    endpoint: proxy.url,
    stop: async () => {
      await proxy.close();
      client.destroy();
      await dynamoDb.stop();
    },
  };
}

/** Puts items in batches of 25, `inFlight` batches at a time, retrying what DynamoDB Local leaves unprocessed. */
export async function seed(
  direct: DynamoDBDocumentClient,
  items: readonly Record<string, unknown>[],
  inFlight = 6,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length) {
        const start = next;
        next += 25;
        let pending: unknown[] | undefined = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
        while (pending?.length) {
          const result: { UnprocessedItems?: Record<string, unknown[]> } = await direct.send(
            new BatchWriteCommand({ RequestItems: { [TABLE_NAME]: pending as never } }),
          );
          pending = result.UnprocessedItems?.[TABLE_NAME];
        }
      }
    }),
  );
}

/** What `work` read: requests (queries and gets) and read units, from the meter. */
export async function metered<T>(
  meter: CapacityMeter,
  work: () => Promise<T>,
): Promise<{ result: T; reads: number; readUnits: number; ms: number }> {
  const before: CapacityReading = meter.reading();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  const after = meter.reading();
  return {
    result,
    reads: after.readRequests - before.readRequests,
    readUnits: Math.round((after.readUnits - before.readUnits) * 10) / 10,
    ms,
  };
}

/**
 * Runs `file` (a bench module) in a process of its own, where it calls `main`, and answers the
 * lines it printed. In that process `isOwnProcess(file)` is true.
 */
export function inOwnProcess(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      env: { ...process.env, REDRESS_BENCH_OWN_PROCESS: file },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(LINES));
      if (code === 0 && line) resolve(JSON.parse(line.slice(LINES.length)) as string[]);
      else reject(new Error(`${file} exited with ${code}:\n${out.slice(-4000)}`));
    });
  });
}

export const isOwnProcess = (file: string) => process.env.REDRESS_BENCH_OWN_PROCESS === file;

/** In the bench's own process: runs `main`, prints its lines for the parent, and exits. */
export function runOwnProcess(main: () => Promise<string[]>): void {
  main().then(
    (lines) => {
      process.stdout.write(`${LINES}${JSON.stringify(lines)}\n`);
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** A small deterministic generator (mulberry32), so a seed is the same run after run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
