import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog';
import { DEFAULT_DESK_CONFIG, type DeskConfig } from '../../functions/domain/config';
import { inboundKey } from '../../functions/store/inbound-objects';
import { BUNDLE_FILE, functionsBuildOptions } from '../../infra/constructs/function-bundle';
import { pngImage } from '../support/evidence';
import { complaintBody, stack, useStackSettingsInProcess, waitForEmail, WAIT_MS } from '../support/stack-client';
import { complaintsBy, eventsOf } from '../support/table';

/**
 * The bundles themselves, as Lambda runs them. The local stack runs every function from source,
 * so nothing else executes what ships: here each catalog function is built as the house
 * construct builds it (infra/constructs/function-bundle.ts, with its stand-ins for SDK code
 * Lambda never runs), loaded in a fresh Node process with a Lambda-like environment, and two of
 * them are run against the local stack: intake (DynamoDB, Step Functions) and email in (S3
 * reads and writes, the MIME parser, DynamoDB, Step Functions).
 */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'redress-bundles-run-'));
const bundleOf = (id: string) => join(dir, id, BUNDLE_FILE);
/** The bundles' own tracking-link key (the stack's functions keep theirs: no link made here is opened by them). */
const linkSigningKey = randomBytes(32).toString('base64url');

/** Lambda's kind of environment, pointed at the local stack (useStackSettingsInProcess's settings): the variables a function may be given, no REDRESS_CONFIG (the desk is compiled in). */
function lambdaEnvironment(functionName: string): Record<string, string> {
  const names = [
    'TABLE_NAME',
    'EVIDENCE_BUCKET',
    'STATE_MACHINE_ARN',
    'PUBLIC_BASE_URL',
    'MAIL_FROM',
    'AWS_REGION',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_ENDPOINT_URL_S3',
    'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_ENDPOINT_URL_SFN',
    'AWS_REQUEST_CHECKSUM_CALCULATION',
    'AWS_RESPONSE_CHECKSUM_VALIDATION',
  ];
  return {
    ...Object.fromEntries(names.map((name) => [name, process.env[name]!])),
    PATH: process.env.PATH ?? '',
    AWS_ENDPOINT_URL_SES: stack().mailbox,
    AWS_ENDPOINT_URL_SESV2: stack().mailbox,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    NODE_OPTIONS: '--enable-source-maps',
    LINK_SIGNING_KEY: linkSigningKey,
  };
}

/** Runs `script` (with `bundle`, the bundle's URL) in a fresh Node process: what it printed last, as JSON, and the function's logs before it. */
async function inFreshProcess(id: string, script: string): Promise<{ result: any; logs: string }> {
  const { stdout, stderr } = await run(
    process.execPath,
    ['--input-type=module', '-e', `const bundle = ${JSON.stringify(pathToFileURL(bundleOf(id)).href)};\n${script}`],
    { env: lambdaEnvironment(id), maxBuffer: 16 * 1024 * 1024 },
  );
  const lines = stdout.trim().split('\n');
  return { result: JSON.parse(lines.pop()!), logs: [...lines, stderr].join('\n') };
}

/** Invokes the bundled handler of `id` once, as Lambda would (a fresh container): its result. */
function invokeBundle(id: string, event: unknown): Promise<{ result: any; logs: string }> {
  const context = {
    functionName: id,
    awsRequestId: randomUUID(),
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${id}`,
    memoryLimitInMB: '512',
  };
  return inFreshProcess(
    id,
    `const { handler } = await import(bundle); const context = { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 20000 }; process.stdout.write('\\n' + JSON.stringify(await handler(${JSON.stringify(event)}, context)));`,
  );
}

/** A raw message as SES stores it: UTF-8 text and one attachment, headers in encoded words. */
function rawMail(mail: {
  from: string;
  fromName: string;
  to: string;
  subject: string;
  text: string;
  attachment: { name: string; type: string; content: Buffer };
}): Buffer {
  const word = (text: string) => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;
  const base64 = (bytes: Buffer) => bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      `From: ${word(mail.fromName)} <${mail.from}>`,
      `To: ${mail.to}`,
      `Subject: ${word(mail.subject)}`,
      `Message-ID: <${randomUUID()}@example.com>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="part"',
      '',
      '--part',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      base64(Buffer.from(mail.text)),
      '--part',
      `Content-Type: ${mail.attachment.type}; name="${word(mail.attachment.name)}"`,
      `Content-Disposition: attachment; filename="${word(mail.attachment.name)}"`,
      'Content-Transfer-Encoding: base64',
      '',
      base64(mail.attachment.content),
      '--part--',
      '',
    ].join('\r\n'),
  );
}

describe('function bundles, run as Lambda runs them', () => {
  beforeAll(async () => {
    useStackSettingsInProcess();
    // The test stack's desk, as its handlers get it (email in on).
    const desk = JSON.parse(process.env.REDRESS_CONFIG!) as DeskConfig;
    await build(functionsBuildOptions(FUNCTIONS, dir, desk));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('each loads in a fresh Node process with only Lambda’s kind of variables, and exports its handler', async () => {
    const loaded: Record<string, string> = {};
    // Two at a time: the machine has two cores.
    const queue = [...FUNCTIONS];
    await Promise.all(
      [0, 1].map(async () => {
        for (let spec = queue.shift(); spec; spec = queue.shift())
          loaded[spec.id] = (
            await inFreshProcess(
              spec.id,
              `const module = await import(bundle); process.stdout.write('\\n' + JSON.stringify(typeof module.handler));`,
            )
          ).result;
      }),
    );
    expect(loaded).toEqual(Object.fromEntries(FUNCTIONS.map((spec) => [spec.id, 'function'])));
  }, 120_000);

  it('FileComplaint’s bundle files a complaint into the local stack, and the workflow it starts acknowledges it', async () => {
    const body = complaintBody(0);
    const { result, logs } = await invokeBundle('FileComplaint', {
      httpMethod: 'POST',
      path: '/complaints',
      resource: '/complaints',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      queryStringParameters: null,
      pathParameters: null,
      body: JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: { identity: { sourceIp: '127.0.0.1' } },
    });
    expect(result.statusCode, `${result.body}\n${logs}`).toBe(201);
    const { id } = JSON.parse(result.body) as { id: string };
    const [record] = await complaintsBy(body.complainant.email);
    expect(record).toMatchObject({ id, channel: 'web', complainant: { email: body.complainant.email } });
    await waitForEmail(body.complainant.email, /received your complaint|收到您的投诉/);
  });

  it('ReceiveMail’s bundle reads a mail from the local S3, files its complaint, and writes its attachment as evidence', async () => {
    const from = `bundle-mail-${randomUUID().slice(0, 8)}@example.com`;
    const messageId = `bundle-${randomUUID()}`;
    const raw = rawMail({
      from,
      fromName: '李雷',
      to: DEFAULT_DESK_CONFIG.inbound.address,
      subject: '银行卡被重复扣款',
      text: '我在11月3日被重复扣款两次，请退还一次。',
      attachment: { name: '扣款记录.png', type: 'image/png', content: pngImage() },
    });
    const s3 = new S3Client({
      endpoint: stack().s3,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await s3.send(new PutObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET, Key: inboundKey(messageId), Body: raw }));
    const pass = { status: 'PASS' };
    const recipients = [DEFAULT_DESK_CONFIG.inbound.address];
    const { result, logs } = await invokeBundle('ReceiveMail', {
      Records: [
        {
          eventSource: 'aws:ses',
          ses: {
            mail: { messageId, source: from, destination: recipients },
            receipt: { recipients, spamVerdict: pass, virusVerdict: pass, dmarcVerdict: pass },
          },
        },
      ],
    });
    expect(result, logs).toEqual({ results: ['filed'] });
    const [record] = await complaintsBy(from);
    expect(record).toMatchObject({ channel: 'email', language: 'zh-CN', complainant: { name: '李雷', email: from } });
    expect(record!.description).toContain('重复扣款两次');
    // The attachment's object lands in the evidence bucket, and the stack's evidence check records it.
    await expect
      .poll(async () => (await eventsOf(record!.id)).find((event) => event.action === 'evidence.added')?.details, {
        timeout: WAIT_MS,
        interval: 200,
      })
      .toMatchObject({ name: '扣款记录.png', contentType: 'image/png' });
  });
});
