import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS, WORKFLOW_DEFINITION_FILE } from '../../functions/catalog';
import type { DeskConfig } from '../../functions/domain/config';
import { CLOCK_CONTROL_PATH, LocalApiGateway } from './api-gateway-local';
import { LocalClock } from './clock';
import { ConcurrencyLimit } from './concurrency-limit';
import { ensureComplaintsTable } from './bootstrap';
import { LocalDynamoDb, tenantEndpoint } from './dynamodb-local';
import { LocalLambdas } from './lambda-local';
import { ensurePortFree, freePort, freeQuietPort } from './prerequisites';
import { CapacityMeter, startCapacityMeterProxy } from './capacity-meter';
import {
  type FaultCounts,
  FaultWindows,
  faultsFromEnvironment,
  needsStepFunctionsProxy,
  startFaultyStepFunctionsProxy,
  startThrottlingDynamoDbProxy,
} from './fault-injection';
import { LocalS3, type S3EventRecord } from './s3-local';
import { LocalSes } from './ses-local';
import { LocalSms } from './sms-local';
import { deliveriesInTable } from './webhook-queue';
import { LocalSmtp } from './smtp-local';
import { LocalStepFunctions } from './step-functions-local';
import { redriveOpenComplaints } from './redrive';
import { LocalDynamoDbStream } from './dynamodb-stream-local';
import { LocalEventBridge } from './eventbridge-local';
import { QuietSchedule } from './quiet-schedule';
import { scheduledReadersOf } from './scheduled-reads';
import { nextWeeklyReportAt } from '../../functions/domain/analytics';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const TABLE_NAME = 'Complaints';
const BUCKET_NAME = 'redress-evidence';
const STATE_MACHINE_NAME = 'ComplaintHandling';
const STEP_CONCURRENCY = 2;
/** The stream's batching window here (the cloud's is minutes): a second of changes goes to the figures together. */
const STREAM_BATCH_WINDOW_MS = 1000;
// Tests shorten both (REDRESS_RECONCILE_EVERY_MS, REDRESS_RECONCILE_GRACE_MS) to show recovery quickly.
const RECONCILE_EVERY_MS = Number(process.env.REDRESS_RECONCILE_EVERY_MS) || 10_000;
/**
 * A scheduled function that has seen every change of what it reads and every move of the clock
 * runs on every REDRESS_RECONCILE_QUIET_EVERY-th of its ticks only (quiet-schedule.ts): 1 for
 * `npm start`, where a tick stands for the cloud's minute; tests tick every 2 s and set 5.
 */
const RECONCILE_QUIET_EVERY = process.env.REDRESS_RECONCILE_QUIET_EVERY
  ? Number(process.env.REDRESS_RECONCILE_QUIET_EVERY)
  : 1;
const RECONCILE_GRACE_MS = process.env.REDRESS_RECONCILE_GRACE_MS
  ? Number(process.env.REDRESS_RECONCILE_GRACE_MS)
  : undefined;

export interface LocalStackOptions {
  rootDir: string;
  port: number;
  mailPort: number;
  /** The phone stand-in (texts; PHONE_PORT; 0 = a free one). */
  phonePort?: number;
  /** Email in: the SMTP stand-in's port (INBOUND_MAIL_PORT; 0 = a free one). */
  inboundMailPort?: number;
  dataDir: string;
  clockScale: number;
  /** Whether `POST /local/clock` may move the clock forward (REDRESS_CLOCK_CONTROL=1). */
  clockControl?: boolean;
  mailFrom: string;
  desk: DeskConfig;
  publicBaseUrl?: string;
}

export interface LocalStack {
  urls: {
    api: string;
    mailbox: string;
    /** The phone stand-in: every text sent (`/`, JSON at `/store`), texts to the desk at `/inbound`. */
    phone: string;
    s3: string;
    dynamodb: string;
    stepFunctions: string;
    clock?: string;
    inboundSmtp: string;
    /** The local event bus: its delivery log page (and /deliveries.json, /events.json). */
    events: string;
  };
  /** Open complaints whose workflow was started again at their recorded step. */
  redriven: number;
  /** Webhook deliveries a previous run left waiting for a try, queued again. */
  resumedDeliveries: number;
  stop(): Promise<void>;
}

/** The link-signing key lives with the local data, so links keep working across restarts. */
/**
 * The webhook secrets (functions/lib/webhook-secrets.ts): REDRESS_WEBHOOK_SECRETS when set, else
 * one generated per configured webhook and for `inbound`, kept with the local data
 * (webhook-secrets.json) so a receiver set up once keeps verifying across restarts.
 */
function localWebhookSecrets(dataDir: string, desk: DeskConfig): string {
  if (process.env.REDRESS_WEBHOOK_SECRETS) return process.env.REDRESS_WEBHOOK_SECRETS;
  const file = path.join(dataDir, 'webhook-secrets.json');
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>) : {};
  const secrets: Record<string, string[]> = {};
  for (const id of [...desk.integrations.webhooks.map((w) => w.id), 'inbound'])
    secrets[id] = kept[id] ?? [randomBytes(32).toString('base64url')];
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return JSON.stringify(secrets);
}

function localLinkSigningKey(dataDir: string): string {
  const file = path.join(dataDir, 'link-signing-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/**
 * DynamoDB Local on a port no other program is handed while its JVM starts; should one take it
 * anyway, it starts again on another.
 */
async function startDynamoDbLocal(dynamoDb: LocalDynamoDb, dataDir: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dynamoDb.start({ port: await freeQuietPort(), dataDir });
    } catch (error) {
      if (attempt >= 3 || !/answered by another program|did not listen/.test((error as Error).message)) throw error;
    }
  }
}

/**
 * REDRESS_DYNAMODB_SHARED (test runs): a DynamoDB Local started `perCredential` that this stack
 * uses, in a database of its own, instead of starting its own Java process.
 */
const sharedDynamoDb = process.env.REDRESS_DYNAMODB_SHARED || undefined;
/** A stack's database in a shared DynamoDB Local: named by its data directory, so a restart finds it again. */
const tenantOf = (dataDir: string) =>
  `stack${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16)}`;

/**
 * Brings up every stand-in, points the handlers at them through the standard AWS variables, and
 * serves the API. Nothing here needs an AWS account or Docker.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  await ensurePortFree(options.port, 'PORT');
  await ensurePortFree(options.mailPort, 'MAIL_PORT');
  if (options.phonePort) await ensurePortFree(options.phonePort, 'PHONE_PORT');
  if (options.inboundMailPort) await ensurePortFree(options.inboundMailPort, 'INBOUND_MAIL_PORT');
  mkdirSync(options.dataDir, { recursive: true });

  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const dynamoDb = new LocalDynamoDb();
    stoppers.push(() => dynamoDb.stop());
    const ses = new LocalSes();
    stoppers.push(() => ses.stop());
    const s3 = new LocalS3();
    stoppers.push(() => s3.stop());

    const faults = faultsFromEnvironment();
    // On a shared DynamoDB Local, the stack's own clients sign with its database's key and go
    // straight to it; what it shows (the ready line) is a proxy that puts that key on any client's
    // requests (dynamodb-local.ts tenantEndpoint).
    const accessKeyId = sharedDynamoDb ? tenantOf(options.dataDir) : 'local';
    const [dynamodbUrl, shownDynamoDbUrl, mailboxUrl] = await Promise.all([
      sharedDynamoDb ?? startDynamoDbLocal(dynamoDb, path.join(options.dataDir, 'dynamodb')),
      sharedDynamoDb
        ? tenantEndpoint(sharedDynamoDb, accessKeyId).then((tenant) => {
            stoppers.push(tenant.close);
            return tenant.url;
          })
        : undefined,
      ses.start(options.mailPort, {
        throttledSeconds: faults?.sesThrottledSeconds,
        throttleControl: options.clockControl,
      }),
    ]);
    // REDRESS_METER=1 (the bench): the handlers' DynamoDB calls go through a proxy that counts capacity units.
    const capacityMeter = process.env.REDRESS_METER === '1' ? new CapacityMeter() : undefined;
    const capacityProxy = capacityMeter ? await startCapacityMeterProxy(dynamodbUrl, capacityMeter) : undefined;
    if (capacityProxy) stoppers.push(capacityProxy.close);
    const faultWindows = new FaultWindows(faults);
    const faultCounts: FaultCounts = { startExecutionThrottled: 0, startExecutionFailed: 0, sendTaskSuccessFailed: 0 };
    // REDRESS_FAULT=dynamodb-throttled:<n>: the handlers' table calls pass a throttle first.
    const throttleProxy = faults?.dynamoDbThrottledPerSecond
      ? await startThrottlingDynamoDbProxy(
          capacityProxy?.url ?? dynamodbUrl,
          faults.dynamoDbThrottledPerSecond,
          faultCounts,
        )
      : undefined;
    if (throttleProxy) stoppers.push(throttleProxy.close);
    const apiPort = options.port === 0 ? await freePort() : options.port;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const publicBaseUrl = options.publicBaseUrl ?? apiUrl;
    // S3 event notifications, as the CDK stack configures them: ObjectCreated under complaints/ →
    // the evidence functions, invoked asynchronously (S3 does not wait for them).
    const evidenceFunctions = FUNCTIONS.filter((f) => f.onEvidenceUploaded);
    const onS3Event = (records: S3EventRecord[]) => {
      const created = records.filter(
        (r) => r.eventName.startsWith('ObjectCreated') && r.s3.object.key.startsWith('complaints/'),
      );
      if (!created.length) return;
      for (const f of evidenceFunctions) lambdas.invokeAsync(f.id, { Records: created });
    };
    const s3Url = await s3.start({
      port: await freePort(),
      dataDir: path.join(options.dataDir, 's3'),
      bucket: BUCKET_NAME,
      allowedOrigins: [new URL(publicBaseUrl).origin, apiUrl],
      onEvent: onS3Event,
      credentials: [...new Set([accessKeyId, 'local'])].map((id) => ({ accessKeyId: id, secretAccessKey: 'local' })),
    });

    const lambdas = new LocalLambdas();
    // Texts: End User Messaging SMS's stand-in; a text to the desk goes to the inbound-text function.
    const phone = new LocalSms();
    stoppers.push(() => phone.stop());
    const inboundTextFunction = FUNCTIONS.find((f) => f.onInboundText);
    const textEventFunction = FUNCTIONS.find((f) => f.onTextEvent);
    const phoneUrl = await phone.start(options.phonePort ? options.phonePort : await freePort(), {
      receive: (event) => (inboundTextFunction ? lambdas.invoke(inboundTextFunction.id, event) : Promise.resolve()),
      // Texts' delivery events, as the configuration set's SNS destination hands them over.
      deliveryEvents: (event) => (textEventFunction ? lambdas.invoke(textEventFunction.id, event) : Promise.resolve()),
    });
    const clock = new LocalClock(options.clockScale);
    // The desk's event bus and its webhook rules; deliveries go to the webhook function.
    const eventBus = new LocalEventBridge({
      desk: options.desk,
      clock,
      deliver: (payload) => lambdas.invoke(webhookFunction?.id ?? 'SendWebhook', payload),
      faultControl: options.clockControl,
      // Waiting deliveries are kept in the table, as SQS keeps its messages: a restart resumes them.
      queue: deliveriesInTable,
    });
    const webhookFunction = FUNCTIONS.find((f) => f.onWebhookDelivery);
    stoppers.push(() => eventBus.stop());
    const eventsUrl = await eventBus.start(await freePort());
    const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STATE_MACHINE_NAME}`;
    const sfnPort = await freePort();
    const faultProxy = needsStepFunctionsProxy(faults)
      ? await startFaultyStepFunctionsProxy(`http://127.0.0.1:${sfnPort}`, faults!, faultCounts, faultWindows)
      : undefined;
    if (faultProxy) stoppers.push(faultProxy.close);
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_DYNAMODB: throttleProxy?.url ?? capacityProxy?.url ?? dynamodbUrl,
      AWS_ENDPOINT_URL_S3: s3Url,
      AWS_ENDPOINT_URL_SES: mailboxUrl,
      AWS_ENDPOINT_URL_SESV2: mailboxUrl,
      AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: phoneUrl,
      AWS_ENDPOINT_URL_SFN: faultProxy?.url ?? `http://127.0.0.1:${sfnPort}`,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventsUrl,
      EVENT_BUS_NAME: 'redress-local',
      WEBHOOK_SECRETS: localWebhookSecrets(options.dataDir, options.desk),
      // The local S3 mangles or refuses the SDK's default streaming checksums.
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      TABLE_NAME,
      EVIDENCE_BUCKET: BUCKET_NAME,
      STATE_MACHINE_ARN: stateMachineArn,
      PUBLIC_BASE_URL: publicBaseUrl,
      MAIL_FROM: options.mailFrom,
      REDRESS_CLOCK_SCALE: String(options.clockScale),
      // Email in is always on here: the SMTP stand-in below takes the inbound domain's mail.
      // So are texts: the phone stand-in takes them.
      REDRESS_CONFIG: JSON.stringify({
        ...options.desk,
        inbound: { ...options.desk.inbound, enabled: true },
        sms: {
          ...options.desk.sms,
          enabled: true,
          originationIdentity: options.desk.sms.originationIdentity ?? 'REDRESS-LOCAL',
          configurationSet: options.desk.sms.configurationSet ?? 'redress-local',
        },
      }),
      LINK_SIGNING_KEY: localLinkSigningKey(options.dataDir),
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;

    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    await ensureComplaintsTable(new DynamoDBClient({}), TABLE_NAME);
    await lambdas.load();

    const substitutions = Object.fromEntries(
      FUNCTIONS.filter((f) => f.workflowArnPlaceholder).map((f) => [
        f.workflowArnPlaceholder!,
        lambdas.arnOf(f, REGION, ACCOUNT),
      ]),
    );
    // REDRESS_STEP_CONCURRENCY: how many workflow steps' Lambdas run at once (concurrency-limit.ts).
    const steps = new ConcurrencyLimit(Number(process.env.REDRESS_STEP_CONCURRENCY ?? STEP_CONCURRENCY));
    const stepFunctions = new LocalStepFunctions({
      definitionFile: path.join(options.rootDir, WORKFLOW_DEFINITION_FILE),
      substitutions,
      invoke: (name, payload) => steps.run(() => lambdas.invoke(name, payload)),
      region: REGION,
      accountId: ACCOUNT,
      name: STATE_MACHINE_NAME,
      clock,
      // AWS shows a failed execution in the console and raises an alarm; locally, say it loudly.
      // An execution that ended unfinished goes to the functions on it, as EventBridge's rule sends it.
      onExecutionEnd: (execution) => {
        if (execution.status === 'FAILED')
          console.error(
            JSON.stringify({
              level: 'ERROR',
              message: 'workflow execution failed',
              execution: execution.name,
              error: execution.error,
              cause: execution.cause,
            }),
          );
        if (execution.status !== 'FAILED' && execution.status !== 'ABORTED') return;
        for (const f of FUNCTIONS.filter((spec) => spec.onExecutionEnded))
          lambdas.invokeAsync(f.id, {
            source: 'aws.states',
            'detail-type': 'Step Functions Execution Status Change',
            detail: {
              executionArn: execution.arn,
              stateMachineArn,
              name: execution.name,
              status: execution.status,
              input: execution.input,
            },
          });
      },
      meter: () => ({
        lambdaInvocations: Object.fromEntries(lambdas.invocations),
        ...(capacityMeter ? { dynamodb: capacityMeter.reading() } : {}),
        ...(faults ? { faults: { ...faultCounts, refused: faultWindows.refused } } : {}),
      }),
      ...(throttleProxy ? { setDynamoDbRefusing: throttleProxy.setRefusing } : {}),
      faultWindows,
      ...(process.env.REDRESS_RETRY_INTERVAL_MS
        ? { retryIntervalMs: Number(process.env.REDRESS_RETRY_INTERVAL_MS) }
        : {}),
    });
    stoppers.push(() => stepFunctions.close());
    const stepFunctionsUrl = await stepFunctions.listen(sfnPort);

    // SES receiving: mail to the inbound domain → the raw message in S3 → the receiving function.
    const smtp = new LocalSmtp();
    stoppers.push(() => smtp.stop());
    const inboundFunction = FUNCTIONS.find((f) => f.onInboundMail);
    const smtpPort = await smtp.start({
      port: options.inboundMailPort ?? 2525,
      domain: options.desk.inbound.address.split('@').pop()!,
      bucket: BUCKET_NAME,
      s3Endpoint: s3Url,
      deliver: (event) => (inboundFunction ? lambdas.invoke(inboundFunction.id, event) : Promise.resolve()),
    });

    const redriven = await redriveOpenComplaints();
    const resumedDeliveries = await eventBus.resume();

    // The cloud runs the scheduled functions every `everyMinutes` on a schedule; here, a timer
    // ticks every RECONCILE_EVERY_MS (a minute's stand-in) and runs each on every
    // `everyMinutes`-th tick, so their cadence stays in proportion (the stalled-case sweep, every
    // 5 minutes in the cloud, does not read thousands of open cases on every tick of a burst).
    const scheduled = FUNCTIONS.filter((f) => f.everyMinutes);
    const scheduledIds = scheduled.map((f) => f.id);
    // The table's stream tells it of each change of what a function reads (below), the clock of every move.
    const quietSchedule = new QuietSchedule(RECONCILE_QUIET_EVERY);
    let tick = 0;
    const reconcile = (due: typeof scheduled) =>
      Promise.all(
        due.map((f) =>
          lambdas
            .invoke(f.id, RECONCILE_GRACE_MS === undefined ? {} : { graceMs: RECONCILE_GRACE_MS })
            .catch((error) =>
              console.error(JSON.stringify({ level: 'ERROR', message: `${f.id} failed`, error: String(error) })),
            ),
        ),
      );
    const apiGateway = new LocalApiGateway(lambdas, options.clockControl ? clock : undefined, async (ids) => {
      await reconcile(scheduled.filter((f) => ids.includes(f.id)));
    });
    stoppers.push(() => apiGateway.close());
    await apiGateway.listen(apiPort);

    // Like a scheduled Lambda that is still running, a slow run is not started again on top of itself.
    let reconciling: Promise<unknown> | undefined;
    const timer = setInterval(() => {
      tick++;
      reconciling ??= reconcile(
        scheduled.filter((f) => tick % f.everyMinutes! === 0 && quietSchedule.runs(f.id)),
      ).finally(() => (reconciling = undefined));
    }, RECONCILE_EVERY_MS);
    stoppers.push(async () => clearInterval(timer));
    const stopNotingMoves = clock.onMove(() => quietSchedule.changed());
    stoppers.push(async () => stopNotingMoves());

    // The table's stream → the functions on it, as an event source mapping delivers it (one
    // reader per function, each keeping its own place in the stream).
    for (const f of FUNCTIONS.filter((spec) => spec.onTableChange)) {
      const reader = new LocalDynamoDbStream({
        endpoint: dynamodbUrl,
        accessKeyId,
        tableName: TABLE_NAME,
        region: REGION,
        positionsFile: path.join(options.dataDir, `stream-position-${f.id}.json`),
        deliver: (event) => {
          const written = event.Records.flatMap((r) => (r.dynamodb?.NewImage ? [r.dynamodb.NewImage] : []));
          quietSchedule.changed(
            scheduledReadersOf(scheduledIds, written as Record<string, AttributeValue>[], new Date(clock.nowMs())),
          );
          return lambdas.invoke(f.id, event);
        },
        batchWindowMs: STREAM_BATCH_WINDOW_MS,
      });
      await reader.start();
      stoppers.push(() => reader.stop());
    }

    // The weekly report: EventBridge Scheduler in the cloud; here, a timer on the local clock
    // (moving the clock past the hour sends it, as the hour passing would).
    const weeklyReports = FUNCTIONS.filter((spec) => spec.onWeeklyReport);
    const weekly = options.desk.reports.weekly;
    let nextReportAt = nextWeeklyReportAt(new Date(clock.nowMs()), weekly, options.desk.timeZone);
    const reportIfDue = () => {
      if (clock.nowMs() < nextReportAt.getTime()) return;
      nextReportAt = nextWeeklyReportAt(new Date(clock.nowMs()), weekly, options.desk.timeZone);
      // Tried once: the next report is due a week on.
      for (const f of weeklyReports) lambdas.invokeAsync(f.id, { source: 'local.scheduler' }, []);
    };
    const reportTimer = setInterval(reportIfDue, 30_000);
    const stopWatchingClock = clock.onMove(reportIfDue);
    stoppers.push(async () => {
      clearInterval(reportTimer);
      stopWatchingClock();
    });

    return {
      urls: {
        api: apiUrl,
        mailbox: mailboxUrl,
        phone: phoneUrl,
        s3: s3Url,
        dynamodb: shownDynamoDbUrl ?? dynamodbUrl,
        stepFunctions: stepFunctionsUrl,
        inboundSmtp: `127.0.0.1:${smtpPort}`,
        events: eventsUrl,
        ...(options.clockControl ? { clock: `${apiUrl}${CLOCK_CONTROL_PATH}` } : {}),
      },
      redriven,
      resumedDeliveries,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
