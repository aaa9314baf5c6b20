import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import { BUNDLE_FILE, functionBuildOptions } from '../../infra/constructs/function-bundle';

/** A desk of 20 KB and more: ten teams of fifty handlers, and a category of its own to look for. */
function largeDesk() {
  const handlers = Array.from({ length: 50 }, (_, i) => `handler.number.${String(i).padStart(2, '0')}@complaints.example.org`);
  const teams = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`region-${i}`, { handlers, supervisor: `region-${i}.supervisor@example.org`, manager: 'desk.manager@example.org' }]));
  return parseDeskConfig({
    ...DEFAULT_DESK_CONFIG,
    teams: { ...DEFAULT_DESK_CONFIG.teams, ...teams },
    categories: [...DEFAULT_DESK_CONFIG.categories, { id: 'ferry-timetable', name: { 'zh-CN': '渡轮时刻表', en: 'Ferry timetable' }, team: 'region-9' }],
  });
}

/** Runs a bundled handler in a fresh Node process with only these variables, as Lambda would: its result and its logs. */
function invokeBundle(file: string, event: unknown, env: Record<string, string>): { result: any; logs: string } {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event)}, { awsRequestId: 'test', getRemainingTimeInMillis: () => 10000 })));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', REDRESS_LOG_LEVEL: 'silent', ...env }, encoding: 'utf8' });
  const lines = run.stdout.trim().split('\n');
  return { result: JSON.parse(lines.pop()!), logs: lines.join('\n') + run.stderr };
}

describe('function bundles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-bundle-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carry the desk config compiled in: the form page lists a 20 KB desk’s categories with no REDRESS_CONFIG and no table', async () => {
    const desk = largeDesk();
    expect(Buffer.byteLength(JSON.stringify(desk))).toBeGreaterThan(20_000);
    await build(functionBuildOptions('http/form-page', join(dir, 'form'), desk));
    const file = join(dir, 'form', BUNDLE_FILE);
    const { result } = invokeBundle(file, { httpMethod: 'GET', path: '/', headers: { 'accept-language': 'en' }, queryStringParameters: null }, { PUBLIC_BASE_URL: 'https://complaints.example.org', EVIDENCE_BUCKET: 'redress-evidence-1a2b3c', AWS_REGION: 'eu-west-1' });
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('Ferry timetable');
    expect(result.headers['content-security-policy']).toContain('https://redress-evidence-1a2b3c.s3.eu-west-1.amazonaws.com');
    // No schema library and no AWS client in a page that only shows a form.
    const code = readFileSync(file, 'utf8');
    expect(code).not.toMatch(/ZodError|\$ZodType/);
    expect(code).not.toMatch(/S3Client|DynamoDBClient/);
  });

  it('leave out the SDK code a Lambda function never runs, and carry only the S3 operations the function calls', async () => {
    const outdir = join(dir, 'evidence-upload');
    const { metafile } = await build({ ...functionBuildOptions('http/request-evidence-upload', outdir, DEFAULT_DESK_CONFIG), metafile: true });
    // What reached the bundle (esbuild also lists the modules it parsed and then left out).
    const inputs = Object.entries(Object.values(metafile!.outputs).find((output) => output.entryPoint)!.inputs).filter(([, { bytesInOutput }]) => bytesInOutput > 0).map(([input]) => input);
    const bundled = (pattern: RegExp) => inputs.filter((input) => pattern.test(input));
    // Each stand-in in functions/lib/clients/ replaced what it says it replaces…
    for (const standIn of ['lambda-credentials', 'no-event-streams', 'lru-cache', 'no-config-files', 'no-instance-metadata', 'native-hashes-only']) expect(inputs, standIn).toContain(`functions/lib/clients/${standIn}.ts`);
    // …so none of this is in the bundle: the credential chain, the event-stream codec, mnemonist, the INI parser, a second S3 client.
    expect(bundled(/credential-provider-(node|ini|sso|process|web-identity)|nested-clients/)).toEqual([]);
    expect(bundled(/@smithy\/core\/.*\/event-streams\//)).toEqual([]);
    expect(bundled(/node_modules\/(mnemonist|obliterator)\//)).toEqual([]);
    expect(bundled(/shared-ini-file-loader\/(parseIni|readFile|getHomeDir)\.js/)).toEqual([]);
    expect(bundled(/s3-presigned-post\/node_modules\//)).toEqual([]);
    // The S3 schemas of the operations it calls (PutObject's, for the presigned POST), not of the other hundred.
    const code = readFileSync(join(outdir, BUNDLE_FILE), 'utf8');
    expect(code).toContain('"PutObjectRequest"');
    expect(code).not.toMatch(/PutBucketLifecycleConfiguration|SelectObjectContent|ListBuckets/);
    // A client's package.json is down to its version.
    expect(metafile!.inputs['node_modules/@aws-sdk/client-s3/package.json']!.bytes).toBeLessThan(40);
  });

  it('fail with the variable’s name when a function reads one it was not given', async () => {
    await build(functionBuildOptions('http/form-page', join(dir, 'no-bucket'), DEFAULT_DESK_CONFIG));
    const { result, logs } = invokeBundle(join(dir, 'no-bucket', BUNDLE_FILE), { httpMethod: 'GET', path: '/', headers: {}, queryStringParameters: null }, { PUBLIC_BASE_URL: 'https://complaints.example.org', AWS_REGION: 'eu-west-1' });
    expect(result.statusCode).toBe(500);
    expect(logs).toContain('Environment variable EVIDENCE_BUCKET is not set');
  });
});
