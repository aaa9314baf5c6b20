import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// One client module per AWS service, created once per container, so a function bundles only the
// clients it calls. Endpoints come from the standard AWS_ENDPOINT_URL_* variables, so the same
// code talks to AWS or to the local stand-ins with no branch here. No X-Ray SDK: Lambda's active
// tracing records each invocation, and the clients stay small.
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
