import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * Logs and metrics as Lambda would print them: Powertools JSON with personal data removed, and
 * CloudWatch EMF for the desk's metrics. Both write to stdout, which the tests capture.
 */
function captureStdout(): { lines: () => Record<string, any>[]; restore: () => void } {
  const chunks: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (chunks.push(String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => (chunks.push(String(chunk)), true));
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    restore: () => (out.mockRestore(), err.mockRestore()),
  };
}

const ENV = { ...process.env };
// Each test imports the logger afresh, after setting its environment: a unit file shares its
// worker with others (isolate: false), which may have loaded it already.
beforeEach(() => {
  vi.resetModules();
});
afterEach(() => {
  process.env = { ...ENV };
  vi.resetModules();
});

describe('log', () => {
  it('writes structured JSON with the complaint id as a top-level key, and no email, phone, name, free text or capability', async () => {
    delete process.env.REDRESS_LOG_LEVEL;
    const { log } = await import('../../functions/lib/log');
    const capture = captureStdout();
    try {
      log.info('complaint filed', {
        complaintId: '01M80ABC',
        category: 'account',
        level: 2,
        complainant: { name: '李娜', email: 'li.na@example.com', phone: '+86 139 0000 0001' },
        description: '账号被盗',
        detail: 'call 139 0000 0001 or write to li.na@example.com',
        url: 'https://x.example/tasks/AbCdEf0123456789?x=1 and /complaints/1?token=secret-token',
        nextTryAt: '2026-12-02T06:52:17.617Z',
      });
      log.error('unhandled error', { error: new Error('no item for wang@example.com'), path: '/tasks/Zz9_secretlink' });
    } finally {
      capture.restore();
    }
    const [info, error] = capture.lines();
    expect(info).toMatchObject({
      level: 'INFO',
      message: 'complaint filed',
      service: 'redress',
      complaintId: '01M80ABC',
      category: 'account',
      detailLevel: 2,
      description: '[redacted]',
      timestamp: expect.any(String),
    });
    expect(info!.complainant).toEqual({ name: '[redacted]', email: '[redacted]', phone: '[redacted]' });
    expect(info!.detail).toBe('call [phone] or write to [email]');
    expect(info!.url).toBe('https://x.example/tasks/[link]?x=1 and /complaints/1?token=[redacted]');
    expect(info!.nextTryAt, 'a time is not a phone number').toBe('2026-12-02T06:52:17.617Z');
    expect(error).toMatchObject({
      level: 'ERROR',
      path: '/tasks/[link]',
      error: { name: 'Error', message: 'no item for [email]' },
    });
    expect(JSON.stringify(capture.lines())).not.toMatch(/li\.na|139|李娜|账号被盗|secret/);
  });

  it('keeps only warnings and errors when REDRESS_LOG_LEVEL=silent (the test stack)', async () => {
    process.env.REDRESS_LOG_LEVEL = 'silent';
    const { log } = await import('../../functions/lib/log');
    const capture = captureStdout();
    try {
      log.info('quiet');
      log.warn('loud');
    } finally {
      capture.restore();
    }
    expect(capture.lines().map((l) => l.message)).toEqual(['loud']);
  });
});

describe('metrics', () => {
  it('emits one EMF document per metric in the Redress namespace, with the service and the given dimensions', async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const { recordMetric, recordEscalation, METRICS } = await import('../../functions/lib/metrics');
    const capture = captureStdout();
    try {
      recordMetric(METRICS.complaintsReceived);
      recordMetric(METRICS.decisions, 1, { step: 'acceptance' });
      const team = { manager: 'manager@example.org' };
      recordEscalation({ level: 1, assignee: 'supervisor@example.org', breached: false, waitSeconds: 60 }, team, false);
      recordEscalation({ level: 2, assignee: 'manager@example.org', breached: false, waitSeconds: 60 }, team, false);
      recordEscalation({ level: 3, assignee: 'manager@example.org', breached: true, waitSeconds: 60 }, team, true);
      recordEscalation({ level: 4, assignee: 'manager@example.org', breached: true, waitSeconds: 60 }, team, false);
    } finally {
      capture.restore();
    }
    const docs = capture.lines();
    const summary = docs.map((doc) => {
      const [directive] = doc._aws.CloudWatchMetrics;
      expect(directive.Namespace).toBe('Redress');
      expect(doc.service).toBe('redress');
      const name = directive.Metrics[0].Name as string;
      const dims = Object.fromEntries(
        (directive.Dimensions[0] as string[]).filter((d) => d !== 'service').map((d) => [d, doc[d]]),
      );
      return { name, value: doc[name], dims };
    });
    expect(summary).toEqual([
      { name: 'ComplaintsReceived', value: 1, dims: {} },
      { name: 'Decisions', value: 1, dims: { step: 'acceptance' } },
      { name: 'Escalations', value: 1, dims: { to: 'supervisor' } },
      { name: 'Escalations', value: 1, dims: { to: 'manager' } },
      { name: 'Breaches', value: 1, dims: { stage: 'breached' } },
      { name: 'Breaches', value: 1, dims: { stage: 'overdue' } },
    ]);
  });

  it('prints nothing outside Lambda, or when switched off', async () => {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    const { recordMetric, METRICS } = await import('../../functions/lib/metrics');
    const capture = captureStdout();
    try {
      recordMetric(METRICS.complaintsReceived);
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'FileComplaint';
      process.env.POWERTOOLS_METRICS_DISABLED = 'true';
      recordMetric(METRICS.complaintsReceived);
      process.env.POWERTOOLS_METRICS_DISABLED = '';
      process.env.REDRESS_LOG_LEVEL = 'silent';
      recordMetric(METRICS.complaintsReceived);
    } finally {
      capture.restore();
    }
    expect(capture.lines()).toEqual([]);
  });
});

describe('log context', () => {
  it('adds the Lambda context to every line in Lambda, and stays off locally', async () => {
    delete process.env.REDRESS_LOG_LEVEL;
    const { default: middy } = await import('@middy/core');
    const { log, logContext } = await import('../../functions/lib/log');
    const handler = middy<unknown, void>()
      .use(logContext())
      .handler(async () => log.info('step ran', { complaintId: 'C1' }));
    const context = {
      functionName: 'Redress-OpenTask',
      awsRequestId: 'req-1',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:1:function:Redress-OpenTask',
      memoryLimitInMB: '512',
      functionVersion: '$LATEST',
      getRemainingTimeInMillis: () => 1000,
    };
    const capture = captureStdout();
    try {
      await handler({}, context as never);
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'Redress-OpenTask';
      await handler({}, context as never);
    } finally {
      capture.restore();
    }
    const [local, lambda] = capture.lines();
    expect(local!.function_request_id).toBeUndefined();
    expect(lambda).toMatchObject({
      message: 'step ran',
      complaintId: 'C1',
      function_name: 'Redress-OpenTask',
      function_request_id: 'req-1',
    });
  });
});

describe('an error leaving a handler', () => {
  it('is redacted before the Lambda runtime prints it ("Invoke Error") or the workflow keeps it, and keeps its name for Retry and Catch', async () => {
    const { default: middy } = await import('@middy/core');
    const { logContext } = await import('../../functions/lib/log');
    const handler = middy<unknown, void>()
      .use(logContext())
      .handler(async () => {
        throw Object.assign(new Error('no such complainant lina.private@qq.com at +86 138 1234 5678'), {
          name: 'ComplaintNotFound',
        });
      });
    const error = await handler({}, {} as never).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('ComplaintNotFound');
    expect((error as Error).message).toBe('no such complainant [email] at [phone]');
    expect((error as Error).stack).not.toMatch(/lina\.private|138 1234/);
  });
});
