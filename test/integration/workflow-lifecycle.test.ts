import { describe, expect, it } from 'vitest';
import { CaseDriver, complaintBody, fileComplaint, NEEDS_SCREENSHOT, stack, SUBJECTS } from '../support/stack-client';

const actions = (c: any) => c.history.map((h: any) => h.action);

async function describeExecution(executionArn: string) {
  const response = await fetch(stack().stepFunctions, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeExecution' },
    body: JSON.stringify({ executionArn }),
  });
  return (await response.json()) as { status: string; redressStateTransitions: number };
}

describe('the handling workflow', () => {
  it('runs the happy path to a 5-star close: accept, findings, reply, survey', async () => {
    const c = await CaseDriver.file(1);
    const acceptance = await c.taskLink(SUBJECTS.acceptance);
    expect((await c.act(acceptance.url, { decision: 'accept' })).response.status).toBe(200);
    await c.email(/已受理/, c.complainantEmail);

    const investigation = await c.taskLink(SUBJECTS.investigation);
    expect(investigation.email.destination.to).toEqual(acceptance.email.destination.to);
    expect(
      (
        await c.act(investigation.url, {
          decision: 'record-findings',
          findings: '已核实：账号于11月20日被异地登录。',
          actions: ['restore-account-and-apologise', 'privacy-measures'],
        })
      ).response.status,
    ).toBe(200);

    const reply = await c.taskLink(SUBJECTS.reply);
    expect(
      (
        await c.act(reply.url, {
          reply: '已冻结异地设备并恢复您的账号。',
          grounds: '《用户协议》第5条',
          followUp: '请开启双重验证。',
        })
      ).response.status,
    ).toBe(200);

    const outcome = await c.taskLink(SUBJECTS.outcome, c.complainantEmail);
    expect(outcome.email.body.text).toContain('已冻结异地设备并恢复您的账号。');
    expect(outcome.email.body.text).toContain('复核');
    expect(outcome.email.body.text).toContain('消费者协会');
    // Opening the survey does not answer it.
    await fetch(outcome.url);
    expect((await c.status((x) => x.status === 'survey')).status).toBe('survey');
    const rated = await c.act(outcome.url, { rating: '5', comment: '处理很及时' });
    expect(rated.response.status).toBe(200);

    const closed = await c.status((x) => x.status === 'closed');
    expect(closed).toMatchObject({ outcome: 'resolved', satisfaction: 5 });
    expect(actions(closed)).toEqual([
      'complaint.received',
      'acknowledgement.sent',
      'task.assigned',
      'decision.recorded',
      'task.assigned',
      'findings.recorded',
      'task.assigned',
      'reply.sent',
      'task.assigned',
      'survey.answered',
      'complaint.closed',
    ]);

    const execution = await describeExecution(
      `arn:aws:states:us-east-1:000000000000:execution:ComplaintHandling:${closed.id}`,
    );
    expect(execution.status).toBe('SUCCEEDED');
    console.info(`happy path: ${execution.redressStateTransitions} state transitions`);
  });

  it('asks the complainant for information, then resumes the acceptance review with the answer', async () => {
    const c = await CaseDriver.file(2);
    const first = await c.taskLink(SUBJECTS.acceptance);
    await c.act(first.url, { decision: 'request-info', question: '请提供被封禁时收到的通知截图。' });
    const info = await c.taskLink(SUBJECTS.information, c.complainantEmail);
    expect(info.email.body.text).toContain('请提供被封禁时收到的通知截图。');
    const page = await (await fetch(info.url)).text();
    expect(page).toContain('请提供被封禁时收到的通知截图。');
    expect(page).not.toMatch(/handler@|supervisor@/);
    expect((await c.act(info.url, { answer: '通知内容为“发布广告”，截图已上传。' })).response.status).toBe(200);

    const second = await c.taskLink(SUBJECTS.acceptance);
    expect(await (await fetch(second.url)).text()).toContain('通知内容为“发布广告”');
    await c.act(second.url, { decision: 'accept' });
    const accepted = await c.status((x) => x.status === 'investigation');
    expect(actions(accepted)).toEqual(expect.arrayContaining(['information.requested', 'information.provided']));
  });

  it('records the respondent’s statement and shows it to the handler', async () => {
    const given = await CaseDriver.file(7);
    await given.act((await given.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
    await given.act((await given.taskLink(SUBJECTS.investigation)).url, {
      decision: 'request-statement',
      respondentEmail: `ops-${given.number}@example.net`,
      question: '请说明11月故障期间的数据备份情况。',
    });
    const statement = await given.taskLink(SUBJECTS.statement, `ops-${given.number}@example.net`);
    const respondentPage = await (await fetch(statement.url)).text();
    expect(respondentPage).toContain('请说明11月故障期间的数据备份情况。');
    expect(respondentPage).not.toContain(given.complainantEmail);
    expect(
      (await given.act(statement.url, { statement: '备份每日执行，故障当日备份失败，已修复。' })).response.status,
    ).toBe(200);
    const back = await given.taskLink(SUBJECTS.investigation);
    expect(await (await fetch(back.url)).text()).toContain('备份每日执行');
    expect(actions(await given.status((x) => actions(x).length > 0))).toBeDefined();
  });

  it('refuses a second decision posted at once on one link: exactly one wins', async () => {
    const c = await CaseDriver.file(1);
    const { url } = await c.taskLink(SUBJECTS.acceptance);
    const page = await (await fetch(url)).text();
    const nonce = /name="nonce" value="([^"]+)"/.exec(page)![1]!;
    const post = (decision: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ nonce, decision, reason: 'duplicate' }).toString(),
      });
    const statuses = (await Promise.all([post('accept'), post('reject'), post('accept')])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
  });
});

describe('withdrawal', () => {
  async function withdraw(c: CaseDriver) {
    const url = new URL(c.trackingUrl);
    const response = await fetch(`${url.origin}${url.pathname}/withdrawal${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: '问题已自行解决' }),
    });
    return { response, json: (await response.json()) as any };
  }

  /** Brings a new complaint to a stage and returns the link that is open there (if any). */
  const stages: Record<string, () => Promise<{ c: CaseDriver; link?: string }>> = {
    'awaiting evidence': async () => {
      const c = await CaseDriver.file(0, NEEDS_SCREENSHOT); // content about private messages: a screenshot is required
      await c.email(SUBJECTS.evidence, c.complainantEmail);
      return { c };
    },
    'acceptance review': async () => {
      const c = await CaseDriver.file(1);
      return { c, link: (await c.taskLink(SUBJECTS.acceptance)).url };
    },
    'awaiting information': async () => {
      const c = await CaseDriver.file(2);
      await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'request-info', question: '请补充截图' });
      return { c, link: (await c.taskLink(SUBJECTS.information)).url };
    },
    investigation: async () => {
      const c = await CaseDriver.file(1);
      await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
      return { c, link: (await c.taskLink(SUBJECTS.investigation)).url };
    },
    reply: async () => {
      const c = await CaseDriver.file(6);
      await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
      await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
        decision: 'record-findings',
        findings: 'CDN misconfigured.',
      });
      return { c, link: (await c.taskLink(SUBJECTS.reply)).url };
    },
    survey: async () => {
      const c = await CaseDriver.file(10);
      await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
      await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
        decision: 'record-findings',
        findings: 'Charged twice.',
      });
      await c.act((await c.taskLink(SUBJECTS.reply)).url, { reply: 'Refunded.', grounds: 'Payment log.' });
      return { c, link: (await c.taskLink(SUBJECTS.outcome, c.complainantEmail)).url };
    },
    review: async () => {
      const c = await CaseDriver.file(2);
      await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
      await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
        decision: 'record-findings',
        findings: '封禁有据。',
      });
      await c.act((await c.taskLink(SUBJECTS.reply)).url, { reply: '维持封禁。', grounds: '规则第3条' });
      await c.act((await c.taskLink(SUBJECTS.outcome, c.complainantEmail)).url, {
        decision: 'request-review',
        reason: '不服',
      });
      return { c, link: (await c.taskLink(SUBJECTS.review)).url };
    },
  };

  it.concurrent.each(Object.keys(stages))(
    'ends the workflow cleanly during %s, and the open link says the case ended',
    async (stage) => {
      const { c, link } = await stages[stage]!();
      const { response, json } = await withdraw(c);
      expect(response.status).toBe(200);
      expect(json).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
      const closed = await c.status((x) => x.status === 'closed');
      expect(actions(closed)).toEqual(expect.arrayContaining(['complaint.withdrawn', 'complaint.closed']));
      await c.email(/投诉已关闭|Complaint closed/, c.complainantEmail);
      if (link) {
        const late = await fetch(link);
        expect(late.status).toBe(410);
      }
      const again = await withdraw(c);
      expect(again.response.status).toBe(409);
      expect(again.json.type).toBe('urn:redress:problem:complaint-closed');
      // Nothing runs on after the withdrawal: no new task arrives for it.
      await new Promise((r) => setTimeout(r, 1500));
      expect((await c.status(() => true)).status).toBe('closed');
    },
  );
});

describe('a complaint filed with a missing field', () => {
  it('does not start a workflow', async () => {
    const { response } = await fileComplaint(complaintBody(1, { description: undefined }));
    expect(response.status).toBe(400);
  });
});

describe('open work', () => {
  it('is queryable by assignee, soonest deadline first (the byAssignee index)', async () => {
    const { DynamoDBClient, QueryCommand } = await import('@aws-sdk/client-dynamodb');
    const c = await CaseDriver.file(6);
    const { email } = await c.taskLink(SUBJECTS.acceptance);
    const assignee = email.destination.to[0]!;
    const client = new DynamoDBClient({
      endpoint: stack().dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: 'Complaints',
        IndexName: 'byAssignee',
        KeyConditionExpression: 'assignee = :a',
        ExpressionAttributeValues: { ':a': { S: assignee } },
        ScanIndexForward: true,
      }),
    );
    const mine = Items.find((item) => item.number?.S === c.number);
    expect(mine?.currentStep?.S).toBe('acceptance');
    expect(mine?.status?.S).toBe('acceptance-review');
    expect(new Date(mine!.deadlineAt!.S!).getTime()).toBeGreaterThan(Date.now());
    expect(Items.every((item) => item.pk!.S!.startsWith('COMPLAINT#'))).toBe(true);
    const deadlines = Items.map((item) => item.deadlineAt!.S!);
    expect(deadlines).toEqual([...deadlines].sort());
  });
});

describe('evidence in the workflow', () => {
  it('waits for required evidence, then shows it to the handler with a download link that works', async () => {
    const { pngImage, postToS3, grantUpload, tokenOf } = await import('../support/evidence');
    const c = await CaseDriver.file(0, NEEDS_SCREENSHOT); // content about private messages: a screenshot is required
    await c.email(SUBJECTS.evidence, c.complainantEmail);
    expect((await c.status((x) => x.status === 'awaiting-evidence')).status).toBe('awaiting-evidence');
    const id = new URL(c.trackingUrl).pathname.split('/').pop()!;
    const png = pngImage(20, 20, [0, 120, 200]);
    const grant = await grantUpload(id, tokenOf(c.trackingUrl), {
      fileName: '第3楼截图.png',
      contentType: 'image/png',
      size: png.length,
    });
    expect((await postToS3(grant, png, 'image/png')).status).toBeLessThan(300);

    const acceptance = await c.taskLink(SUBJECTS.acceptance);
    const page = await (await fetch(acceptance.url)).text();
    expect(page).toContain('第3楼截图.png');
    const href = /href="([^"]+X-Amz-Signature[^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
    expect(href).toBeDefined();
    const download = await fetch(href!);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);
  });
});
