import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtures } from '../support/fixtures';
import { LocalDynamoDb } from '../../infra/local/dynamodb-local';
import { freeQuietPort } from '../../infra/local/prerequisites';
import {
  processAlive,
  runRoot,
  type StackUrls,
  startStackProcess,
  stopStackProcess,
} from '../support/local-stack-setup';
import { stalledCases } from '../support/stalled';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const documents = (urls: StackUrls) =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: urls.dynamodb, region: 'us-east-1', credentials }));

async function storedComplaintOf(urls: StackUrls, email: string) {
  const { Items } = await documents(urls).send(
    new ScanCommand({
      TableName: 'Complaints',
      FilterExpression: 'sk = :meta AND complainant.email = :e',
      ExpressionAttributeValues: { ':meta': 'META', ':e': email },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

async function actionsOf(urls: StackUrls, id: string): Promise<string[]> {
  const { Items } = await documents(urls).send(
    new QueryCommand({
      TableName: 'Complaints',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': `COMPLAINT#${id}`, ':e': 'EVENT#' },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => item.action as string);
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('no orphan: a stored complaint always gets its workflow', () => {
  const dataDir = mkdtempSync(path.join(runRoot(), 'redress-orphan-'));
  const children: Parameters<typeof stopStackProcess>[0][] = [];
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) await stopStackProcess(child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the workflow after the process died between storing the complaint and starting it', async () => {
    // 1. A stack whose process is killed (SIGKILL, test-only fault in infra/local) the moment
    //    intake calls StartExecution: the complaint is stored, its workflow never started.
    const doomed = await startStackProcess({ REDRESS_DATA_DIR: dataDir, REDRESS_FAULT: 'crash-on-start-execution' });
    children.push(doomed.child);
    const body = structuredClone(fixtures[6]!.body);
    body.complainant.email = `orphan-${Date.now().toString(36)}@example.com`;
    const filing = await fetch(`${doomed.urls.api}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(
      (response) => `answered ${response.status}`,
      (error: Error) => `no answer (${error.message})`,
    );
    expect(filing).toMatch(/^no answer/);
    await until('the process to die', async () => doomed.child.exitCode !== null || doomed.child.signalCode !== null);
    expect(doomed.child.signalCode).toBe('SIGKILL');

    // Its DynamoDB Local leaves with it (nothing would ever stop it otherwise).
    const javaPid = Number(readFileSync(path.join(dataDir, 'dynamodb', 'dynamodb.pid'), 'utf8'));
    await until('its DynamoDB Local to exit', async () => !processAlive(javaPid));

    // What the dead process left, read with a DynamoDB Local of the test's own on the same data:
    // the complaint, with its pending marker and no workflow.
    const table = new LocalDynamoDb();
    // A port no other program is handed while its JVM starts (the ephemeral range is shared with the run's other stacks).
    const tableUrl = await table.start({ port: await freeQuietPort(), dataDir: path.join(dataDir, 'dynamodb') });
    const left = { ...doomed.urls, dynamodb: tableUrl };
    const [stored] = await storedComplaintOf(left, body.complainant.email);
    expect(stored).toMatchObject({ status: 'received', workflowPending: expect.stringMatching(/^PENDING#/) });
    expect(await actionsOf(left, stored!.id)).toEqual(['complaint.received']);
    await table.stop();

    // 2. A fresh start on the same data, with the reconciler's grace shortened for the test.
    const revived = await startStackProcess({
      REDRESS_DATA_DIR: dataDir,
      REDRESS_RECONCILE_GRACE_MS: '0',
      REDRESS_RECONCILE_EVERY_MS: '500',
    });
    children.push(revived.child);
    const actions = await until('the workflow to start', async () => {
      const found = await actionsOf(revived.urls, stored!.id);
      return found.includes('acknowledgement.sent') && found;
    });
    expect(actions.filter((a) => a === 'workflow.started')).toHaveLength(1);
    const [after] = await storedComplaintOf(revived.urls, body.complainant.email);
    expect(after!.workflowPending).toBeUndefined();

    // The acknowledgement reached the complainant, with the number they never saw in a response.
    const ack = await until('the acknowledgement', async () => {
      const { emails } = (await (await fetch(`${revived.urls.mailbox}/store`)).json()) as {
        emails: { destination: { to: string[] }; subject: string; body: { text: string } }[];
      };
      return emails.find((e) => e.destination.to.includes(body.complainant.email));
    });
    expect(ack.subject).toContain(stored!.number);

    // And the execution exists, named by the complaint id.
    const sfn = new SFNClient({ endpoint: revived.urls.stepFunctions, region: 'us-east-1', credentials });
    const execution = await sfn.send(
      new DescribeExecutionCommand({
        executionArn: `arn:aws:states:us-east-1:000000000000:execution:ComplaintHandling:${stored!.id}`,
      }),
    );
    expect(execution.status).toBe('RUNNING');
    // No case stops silently: every open case on this data has a running execution, a live task or a pending start.
    expect(await stalledCases({ urls: revived.urls })).toEqual([]);
  });
});
