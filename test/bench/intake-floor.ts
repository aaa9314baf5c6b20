import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../functions/lib/clients/dynamo';
import { json, problemDetails, type HttpEvent, type HttpResult } from '../../functions/lib/http';
import { logContext } from '../../functions/lib/log';
import { tableName } from '../../functions/store/table';

/**
 * The floor intake is measured against: the same HTTP adapter, Lambda invocation and middy stack
 * as POST /complaints, doing one bare PutItem of the request body. Bench-only: the local stack
 * serves it on POST /complaints for requests marked `x-redress-bench: floor`, and only with
 * REDRESS_BENCH_FLOOR=1; it is never in the catalog.
 */
export const FLOOR_HEADER = 'x-redress-bench';

async function putBody(event: HttpEvent): Promise<HttpResult> {
  const id = randomUUID();
  await dynamo.send(
    new PutCommand({ TableName: tableName(), Item: { pk: `BENCHFLOOR#${id}`, sk: 'META', body: event.body ?? '' } }),
  );
  return json(201, { id });
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails()).handler(putBody);
