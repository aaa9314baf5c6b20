import type { ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStackProcess, stopStackProcess, type StackUrls } from '../support/local-stack-setup';
import { CaseDriver, SUBJECTS } from '../support/stack-client';

/**
 * Personal data never reaches the logs. This file runs its own stack with logging on (the shared
 * test stack is silent), takes one complaint with a name, phone and free texts through filing,
 * acknowledgement, the acceptance review and the decision, and then reads everything the
 * process printed.
 */
let child: ChildProcess;
let urls: StackUrls;
let output: () => string;
let dataDir: string;

beforeAll(async () => {
  // REDRESS_LOG_LEVEL empty: every handler logs at INFO, as in Lambda.
  ({ child, urls, output, dataDir } = await startStackProcess({ REDRESS_LOG_LEVEL: '' }));
});

afterAll(async () => {
  if (child) await stopStackProcess(child);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('logs of a complaint’s lifecycle', () => {
  it('carry the complaint id for correlation, but no email, phone, name or free text of the complainant', async () => {
    const note = '受理人备注：已电话联系 李娜 核实，手机 13900000001';
    const c = await CaseDriver.file(
      1,
      { desiredOutcome: '冻结被盗登录设备，并请回电 +86 139 0000 0001 或发邮件 li.na.private@example.net。' },
      { api: urls.api, mailbox: urls.mailbox },
    );
    const complaintId = /\/complaints\/([^/?]+)/.exec(c.trackingUrl)![1]!;
    const trackingToken = new URL(c.trackingUrl).searchParams.get('token')!;
    await c.email(/收到您的投诉|received your complaint/, c.complainantEmail);
    const acceptance = await c.taskLink(SUBJECTS.acceptance);
    const linkId = new URL(acceptance.url).pathname.split('/').pop()!;
    expect((await c.act(acceptance.url, { decision: 'accept', note })).response.status).toBe(200);
    await c.status((x) => x.status === 'investigation');
    await c.email(/已受理|accepted/i, c.complainantEmail);
    // Let the last step's log lines flush.
    await new Promise((r) => setTimeout(r, 500));

    const printed = output();
    // REDRESS_DUMP_LOGS=file keeps what was printed, to read it by hand.
    if (process.env.REDRESS_DUMP_LOGS) writeFileSync(process.env.REDRESS_DUMP_LOGS, printed);
    const lines = printed.split('\n').filter((line) => line.trim());
    const body = (await import('../fixtures/complaints.json', { with: { type: 'json' } })).default.complaints[1]!.body;
    const secrets: Record<string, string> = {
      'complainant email': c.complainantEmail,
      'email in a free text': 'li.na.private@example.net',
      name: body.complainant.name,
      phone: body.complainant.phone!,
      'phone, digits only': '13900000001',
      description: body.description.slice(0, 20),
      'desired outcome': '冻结被盗登录设备',
      'subject name': body.subject.name!,
      'subject ref': body.subject.ref!,
      'staff note': '受理人备注',
      'tracking token': trackingToken,
      'task link id': linkId,
    };
    for (const [what, value] of Object.entries(secrets)) {
      const leaks = lines.filter((line) => line.includes(value));
      expect(leaks, `${what} in the logs`).toEqual([]);
    }
    // No address of anyone (complainant or staff) in any line.
    expect(lines.filter((line) => /[\w.+-]+@[\w-]+\.[\w.-]+/.test(line))).toEqual([]);

    // Structured (Powertools) JSON, and the complaint's lines are findable by its id.
    const entries = lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    const mine = entries.filter((entry) => entry.complaintId === complaintId);
    expect(mine.length).toBeGreaterThan(0);
    for (const entry of mine)
      expect(entry).toMatchObject({
        service: 'redress',
        level: expect.stringMatching(/^(INFO|WARN|ERROR)$/),
        timestamp: expect.any(String),
      });
    expect(mine.map((entry) => entry.message)).toContain('complaint filed');
  });
});
