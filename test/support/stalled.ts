import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { stalledVerdict, type ExecutionState, type StalledReason } from '../../functions/domain/stalled';
import { taskLinkKey } from '../../functions/store/task-links';
import type { StackUrls } from './local-stack-setup';
import { stack } from './stack-client';

export interface StalledCase {
  id: string;
  number: string;
  status: string;
  reason: StalledReason;
  execution: ExecutionState;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const EXECUTION_PREFIX = 'arn:aws:states:us-east-1:000000000000:execution:ComplaintHandling:';

/**
 * No case stops silently, as a query: the open cases of the local stack with neither a live task
 * nor a running execution nor a pending start, judged by the sweeper's own rule
 * (domain/stalled.ts) with no quiet period (the test asks about now). Scans the whole table (the
 * test stack's is small). `only` keeps to these complaint ids or numbers, for a test on the shared
 * stack, where other files' cases are mid-flight.
 */
export async function stalledCases(
  options: { only?: readonly string[]; urls?: Pick<StackUrls, 'dynamodb' | 'stepFunctions'>; now?: Date } = {},
): Promise<StalledCase[]> {
  const urls = options.urls ?? stack();
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: urls.dynamodb, region: 'us-east-1', credentials }),
  );
  const sfn = new SFNClient({ endpoint: urls.stepFunctions, region: 'us-east-1', credentials });
  const records: Record<string, any>[] = [];
  let startKey: Record<string, any> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: 'Complaints',
        FilterExpression: 'sk = :meta AND begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':meta': 'META', ':prefix': 'COMPLAINT#' },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    records.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const wanted = options.only ? new Set(options.only) : undefined;
  const stalled: StalledCase[] = [];
  for (const complaint of records) {
    if (wanted && !wanted.has(complaint.id) && !wanted.has(complaint.number)) continue;
    const now = options.now ?? new Date();
    const link = complaint.currentTaskLinkHash
      ? (
          await documents.send(
            new GetCommand({
              TableName: 'Complaints',
              Key: taskLinkKey(complaint.currentTaskLinkHash),
              ConsistentRead: true,
            }),
          )
        ).Item
      : undefined;
    const execution: ExecutionState = await sfn
      .send(
        new DescribeExecutionCommand({ executionArn: complaint.executionArn ?? `${EXECUTION_PREFIX}${complaint.id}` }),
      )
      .then(
        (described) => (described.status ?? 'missing') as ExecutionState,
        (error: { name?: string }) => {
          if (error.name === 'ExecutionDoesNotExist') return 'missing' as const;
          throw error;
        },
      );
    const verdict = stalledVerdict({ complaint: complaint as any, taskLink: link as any, execution, now, quietMs: 0 });
    if (verdict.stalled)
      stalled.push({
        id: complaint.id,
        number: complaint.number,
        status: complaint.status,
        reason: verdict.reason,
        execution,
      });
  }
  return stalled;
}
