/**
 * Cost per 1,000 happy-path complaints, measured on the local stack and priced from one table
 * (PRICES, below). A stack with REDRESS_METER=1 counts what AWS bills: state transitions (every
 * state entered), Lambda invocations per function, DynamoDB capacity units as DynamoDB Local
 * reports them (table and indexes, transactions double); the mailbox counts the emails. Each
 * complaint is driven as its people would: filed, accepted, findings, reply, survey answered
 * through the emailed task links, and the tracking page viewed. The cost section of docs/operating.md is
 * written from the same figures (between its cost markers).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS } from '../../functions/catalog';
import { TRACE_SAMPLED_SHARE } from '../../infra/redress-stack';
import { startStackProcess, stopStackProcess, type StackUrls } from '../support/local-stack-setup';
import { CaseDriver, readMailbox, SUBJECTS, track } from '../support/stack-client';

/**
 * us-east-1 list prices as of 2026-11 (assumptions; check the pricing pages, free tiers ignored),
 * and the few figures the local stack cannot measure, each named as an assumption.
 */
export const PRICES = {
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaPerGbSecond: 0.0000133334,
  apiGatewayPerRequest: 3.5 / 1_000_000,
  sesPerEmail: 0.1 / 1000,
  dynamoDbPerWriteUnit: 0.625 / 1_000_000,
  dynamoDbPerReadUnit: 0.125 / 1_000_000,
  cloudWatchLogsPerGb: 0.5,
  xRayPerTrace: 5 / 1_000_000,
} as const;

export const ASSUMPTIONS = {
  /** arm64, 512 MB. */
  lambdaMemoryGb: 0.5,
  /** Average billed duration per invocation, cold starts included (not measurable locally). */
  lambdaAverageBilledSeconds: 0.3,
  /** Log bytes per complaint: Lambda, Step Functions (ALL, without data), API access logs. */
  logBytesPerComplaint: 50_000,
  /**
   * Share of invocations X-Ray records a trace for: the stack's sampling rules (5 % beyond a
   * reservoir of one a second; at a few complaints an hour the reservoir records nearly all,
   * well inside X-Ray's free 100,000 traces a month).
   */
  xRaySampledShare: TRACE_SAMPLED_SHARE,
  /** Tracking-page views per complaint, driven by the bench. */
  trackingViews: 3,
} as const;

/** What one happy-path complaint consumed, on average. */
export interface CostDrivers {
  complaints: number;
  stateTransitions: number;
  lambdaInvocations: number;
  apiRequests: number;
  emails: number;
  writeUnits: number;
  readUnits: number;
  writeUnitsByIndex: Record<string, number>;
  writeUnitsByWrite: Record<string, number>;
  invocationsByFunction: Record<string, number>;
}

export interface CostLine {
  item: string;
  inputs: string;
  price: string;
  per1000: number;
}

interface MeterReading {
  stateTransitions: number;
  lambdaInvocations: Record<string, number>;
  dynamodb?: {
    writeUnits: number;
    readUnits: number;
    writeUnitsByIndex: Record<string, number>;
    writeUnitsByWrite?: Record<string, number>;
    writeUnitsByPartitionKey?: Record<string, number>;
  };
}

export async function readMeter(urls: StackUrls): Promise<MeterReading> {
  const response = await fetch(`${urls.stepFunctions}/local/meter`);
  if (response.status !== 200) throw new Error(`the local meter answered ${response.status}`);
  return (await response.json()) as MeterReading;
}

const SCHEDULED = new Set(FUNCTIONS.filter((f) => f.everyMinutes).map((f) => f.id));
const ROUTED = new Set(FUNCTIONS.filter((f) => f.routes?.length).map((f) => f.id));

async function describeExecution(urls: StackUrls, id: string): Promise<{ status: string }> {
  const response = await fetch(urls.stepFunctions, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeExecution' },
    body: JSON.stringify({ executionArn: `arn:aws:states:us-east-1:000000000000:execution:ComplaintHandling:${id}` }),
  });
  return (await response.json()) as { status: string };
}

/** One complaint down the happy path, through its emails and links; resolves when its execution ended. */
async function driveHappyPath(urls: StackUrls): Promise<void> {
  const c = await CaseDriver.file(1, {}, { api: urls.api, mailbox: urls.mailbox });
  await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
  await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
    decision: 'record-findings',
    findings: '已核实：账号于11月20日被异地登录。',
    actions: ['restore-account-and-apologise'],
  });
  await c.act((await c.taskLink(SUBJECTS.reply)).url, {
    reply: '已冻结异地设备并恢复您的账号。',
    grounds: '《用户协议》第5条',
    followUp: '请开启双重验证。',
  });
  const survey = await c.taskLink(SUBJECTS.outcome, c.complainantEmail);
  const answered = await c.act(survey.url, { rating: '5', comment: '处理很及时' });
  if (answered.response.status !== 200) throw new Error(`survey answered ${answered.response.status}`);
  const id = (await track(c.trackingUrl)).json.id as string;
  for (let view = 1; view < ASSUMPTIONS.trackingViews; view++) await track(c.trackingUrl);
  for (let i = 0; i < 1200; i++) {
    if ((await describeExecution(urls, id)).status !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // The last email of the case (if any) is sent by the final state: let the mailbox settle.
  await new Promise((r) => setTimeout(r, 300));
}

const sumOf = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const diffOf = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
      .filter(([, v]) => v > 0),
  );

/** Runs `count` complaints (`inFlight` at a time) down the happy path on a metered stack and averages what they consumed. */
export async function measureHappyPath(urls: StackUrls, count: number, inFlight: number): Promise<CostDrivers> {
  const before = await readMeter(urls);
  const mailBefore = (await readMailbox(urls.mailbox)).length;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, count) }, async () => {
      while (next < count) {
        next++;
        await driveHappyPath(urls);
      }
    }),
  );
  const after = await readMeter(urls);
  const emails = (await readMailbox(urls.mailbox)).length - mailBefore;
  const invocations: Record<string, number> = Object.fromEntries(
    Object.entries(diffOf(after.lambdaInvocations, before.lambdaInvocations)).filter(([id]) => !SCHEDULED.has(id)),
  );
  const per = (n: number) => n / count;
  const byIndex = diffOf(after.dynamodb?.writeUnitsByIndex ?? {}, before.dynamodb?.writeUnitsByIndex ?? {});
  return {
    complaints: count,
    stateTransitions: per(after.stateTransitions - before.stateTransitions),
    lambdaInvocations: per(sumOf(invocations)),
    apiRequests: per(sumOf(Object.fromEntries(Object.entries(invocations).filter(([id]) => ROUTED.has(id))))),
    emails: per(emails),
    writeUnits: per((after.dynamodb?.writeUnits ?? 0) - (before.dynamodb?.writeUnits ?? 0)),
    readUnits: per((after.dynamodb?.readUnits ?? 0) - (before.dynamodb?.readUnits ?? 0)),
    writeUnitsByIndex: Object.fromEntries(Object.entries(byIndex).map(([k, v]) => [k, per(v)])),
    writeUnitsByWrite: Object.fromEntries(
      Object.entries(diffOf(after.dynamodb?.writeUnitsByWrite ?? {}, before.dynamodb?.writeUnitsByWrite ?? {})).map(
        ([k, v]) => [k, per(v)],
      ),
    ),
    invocationsByFunction: Object.fromEntries(Object.entries(invocations).map(([k, v]) => [k, per(v)])),
  };
}

const money = (n: number) => `$${n.toFixed(2)}`;
const count = (n: number) =>
  Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** The bill for 1,000 complaints that each consumed `d`. */
export function costPer1000(d: CostDrivers): { lines: CostLine[]; total: number } {
  const k = 1000;
  const gbSeconds = d.lambdaInvocations * k * ASSUMPTIONS.lambdaAverageBilledSeconds * ASSUMPTIONS.lambdaMemoryGb;
  const traces = d.lambdaInvocations * k * ASSUMPTIONS.xRaySampledShare;
  const logGb = (ASSUMPTIONS.logBytesPerComplaint * k) / 1e9;
  const lines: CostLine[] = [
    {
      item: 'Step Functions Standard',
      inputs: `${count(d.stateTransitions * k)} transitions (measured)`,
      price: '$0.025 / 1,000',
      per1000: d.stateTransitions * k * PRICES.stepFunctionsPerTransition,
    },
    {
      item: 'Lambda (arm64, 512 MB)',
      inputs: `${count(d.lambdaInvocations * k)} invocations (measured); ${ASSUMPTIONS.lambdaAverageBilledSeconds} s average billed (assumed) → ${count(gbSeconds)} GB-s`,
      price: '$0.20 / M requests, $0.0000133334 / GB-s',
      per1000: d.lambdaInvocations * k * PRICES.lambdaPerRequest + gbSeconds * PRICES.lambdaPerGbSecond,
    },
    {
      item: 'API Gateway REST',
      inputs: `${count(d.apiRequests * k)} requests (measured: filing, task pages GET + POST, ${ASSUMPTIONS.trackingViews} tracking views)`,
      price: '$3.50 / M',
      per1000: d.apiRequests * k * PRICES.apiGatewayPerRequest,
    },
    {
      item: 'SES',
      inputs: `${count(d.emails * k)} emails (measured)`,
      price: '$0.10 / 1,000',
      per1000: d.emails * k * PRICES.sesPerEmail,
    },
    {
      item: 'DynamoDB on-demand',
      inputs: `${count(d.writeUnits * k)} WRU, ${count(d.readUnits * k)} RRU (measured, indexes and transactions included)`,
      price: '$0.625 / M WRU, $0.125 / M RRU',
      per1000: d.writeUnits * k * PRICES.dynamoDbPerWriteUnit + d.readUnits * k * PRICES.dynamoDbPerReadUnit,
    },
    {
      item: 'CloudWatch Logs',
      inputs: `${ASSUMPTIONS.logBytesPerComplaint / 1000} KB / complaint (assumed) → ${count(logGb * 1000)} MB`,
      price: '$0.50 / GB ingested',
      per1000: logGb * PRICES.cloudWatchLogsPerGb,
    },
    {
      item: 'X-Ray',
      inputs: `${count(traces)} traces (one per invocation × ${ASSUMPTIONS.xRaySampledShare} sampled by the stack's rules)`,
      price: '$5.00 / M traces',
      per1000: traces * PRICES.xRayPerTrace,
    },
  ];
  return { lines, total: lines.reduce((sum, line) => sum + line.per1000, 0) };
}

export const COST_BEGIN = '<!-- cost:begin (generated by npm run bench: test/bench/cost.ts) -->';
export const COST_END = '<!-- cost:end -->';

export function renderCostSection(d: CostDrivers): string {
  const { lines, total } = costPer1000(d);
  const byIndex = Object.entries(d.writeUnitsByIndex)
    .map(([name, units]) => `${name} ${count(units)}`)
    .join(', ');
  return [
    COST_BEGIN,
    `Measured by \`npm run bench\` on the local stack (${d.complaints} happy-path complaints: accept → findings → reply → 5-star survey, driven through the emailed links, ${ASSUMPTIONS.trackingViews} tracking views each), per complaint: **${count(d.stateTransitions)} state transitions, ${count(d.lambdaInvocations)} Lambda invocations (${count(d.apiRequests)} of them API requests), ${count(d.emails)} emails, ${count(d.writeUnits)} WRU** (${byIndex}) and ${count(d.readUnits)} RRU. Priced at us-east-1 list prices as of 2026-11 (assumptions; free tiers ignored), from \`PRICES\` in \`test/bench/cost.ts\`:`,
    '',
    '| item | inputs per 1,000 complaints | price (assumption) | per 1,000 |',
    '|---|---|---|---|',
    ...lines.map((l) => `| ${l.item} | ${l.inputs} | ${l.price} | ${money(l.per1000)} |`),
    `| **total** | | | **${money(total)} per 1,000 complaints** |`,
    COST_END,
  ].join('\n');
}

/** Replaces the cost section of docs/operating.md (between its markers) with `section`; false when the markers are missing. */
export function writeReadmeCostSection(
  section: string,
  readme = path.resolve(import.meta.dirname, '../../docs/operating.md'),
): boolean {
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf(COST_BEGIN);
  const end = text.indexOf(COST_END);
  if (start < 0 || end < start) return false;
  writeFileSync(readme, text.slice(0, start) + section + text.slice(end + COST_END.length));
  return true;
}

/** `npm run bench`'s cost line: its own metered stack, BENCH_COST_COMPLAINTS happy paths (default 6, 3 at a time). */
export async function benchCost(): Promise<void> {
  const complaints = Number(process.env.BENCH_COST_COMPLAINTS ?? 6);
  const stack = await startStackProcess({
    REDRESS_METER: '1',
    REDRESS_CLOCK_SCALE: '1',
    REDRESS_RECONCILE_EVERY_MS: '3600000',
  });
  try {
    const drivers = await measureHappyPath(stack.urls, complaints, Number(process.env.BENCH_COST_IN_FLIGHT ?? 3));
    const { total } = costPer1000(drivers);
    console.log(
      `happy path, per complaint (${complaints} measured): ${count(drivers.stateTransitions)} state transitions, ${count(drivers.lambdaInvocations)} Lambda invocations (${count(drivers.apiRequests)} API requests), ${count(drivers.emails)} emails, ${count(drivers.writeUnits)} WRU (${Object.entries(
        drivers.writeUnitsByIndex,
      )
        .map(([k, v]) => `${k} ${count(v)}`)
        .join(', ')}), ${count(drivers.readUnits)} RRU`,
    );
    if (process.env.BENCH_COST_DETAIL === '1') {
      console.log(
        `write units by write: ${Object.entries(drivers.writeUnitsByWrite)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${count(v)}`)
          .join('; ')}`,
      );
      console.log(
        `invocations by function: ${Object.entries(drivers.invocationsByFunction)
          .map(([k, v]) => `${k} ${count(v)}`)
          .join(', ')}`,
      );
    }
    console.log(`cost per 1,000 complaints: ${money(total)}`);
    if (process.env.BENCH_WRITE_README !== '0')
      console.log(
        writeReadmeCostSection(renderCostSection(drivers))
          ? 'docs/operating.md cost section written from these figures'
          : 'docs/operating.md has no cost markers: section not written',
      );
  } finally {
    await stopStackProcess(stack.child);
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}
