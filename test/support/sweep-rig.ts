import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FUNCTIONS, WORKFLOW_DEFINITION_FILE } from '../../functions/catalog';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { ensureComplaintsTable } from '../../infra/local/bootstrap';
import { CapacityMeter, startCapacityMeterProxy } from '../../infra/local/capacity-meter';
import { LocalClock } from '../../infra/local/clock';
import { LocalDynamoDb } from '../../infra/local/dynamodb-local';
import { freePort } from '../../infra/local/prerequisites';
import { LocalStepFunctions } from '../../infra/local/step-functions-local';

export const RIG_TABLE = 'Complaints';

/**
 * What the stalled-case sweep runs against, in this process, for a bench or a test that calls it
 * directly: a private in-memory DynamoDB Local with the table the local stack bootstraps, reached
 * through the capacity meter, and the local Step Functions engine on the real definition, whose
 * steps never answer (a started execution stays RUNNING). Points this process's AWS variables at
 * them: import the product's modules after this, since their clients read the variables once.
 */
export async function startSweepRig(): Promise<{
  meter: CapacityMeter;
  /** The table, not through the meter (for seeding). */
  documents: DynamoDBDocumentClient;
  stop: () => Promise<void>;
}> {
  const stoppers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const one of stoppers.reverse()) await one().catch(() => undefined);
  };
  try {
    const dynamoDb = new LocalDynamoDb();
    stoppers.push(() => dynamoDb.stop());
    const dynamodbUrl = await dynamoDb.start({ port: await freePort() });
    const meter = new CapacityMeter();
    const proxy = await startCapacityMeterProxy(dynamodbUrl, meter);
    stoppers.push(proxy.close);
    const stepFunctions = new LocalStepFunctions({
      definitionFile: WORKFLOW_DEFINITION_FILE,
      substitutions: Object.fromEntries(
        FUNCTIONS.filter((f) => f.workflowArnPlaceholder).map((f) => [
          f.workflowArnPlaceholder!,
          `arn:aws:lambda:us-east-1:000000000000:function:${f.id}`,
        ]),
      ),
      invoke: () => new Promise(() => undefined),
      region: 'us-east-1',
      accountId: '000000000000',
      name: 'ComplaintHandling',
      clock: new LocalClock(1),
    });
    stoppers.push(() => stepFunctions.close());
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
      AWS_ENDPOINT_URL_SFN: await stepFunctions.listen(0),
      TABLE_NAME: RIG_TABLE,
      STATE_MACHINE_ARN: stepFunctions.stateMachineArn,
      EVIDENCE_BUCKET: 'redress-evidence',
      PUBLIC_BASE_URL: 'http://127.0.0.1',
      MAIL_FROM: 'complaints@redress.test',
      REDRESS_CONFIG: JSON.stringify(DEFAULT_DESK_CONFIG),
      LINK_SIGNING_KEY: 'sweep-rig-link-signing-key-sweep-rig-link-signing-key',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    const direct = new DynamoDBClient({ endpoint: dynamodbUrl, region: 'us-east-1', credentials });
    await ensureComplaintsTable(direct, RIG_TABLE);
    return { meter, documents: DynamoDBDocumentClient.from(direct), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
