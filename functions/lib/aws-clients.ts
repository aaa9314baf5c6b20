import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Tracer } from '@aws-lambda-powertools/tracer';

// Created once per container. Endpoints come from the standard AWS_ENDPOINT_URL_* variables, so
// the same code talks to AWS or to the local stand-ins with no branch here.
//
// In Lambda (active tracing) each SDK call becomes an X-Ray subsegment. The Tracer switches itself
// off outside Lambda (or with POWERTOOLS_TRACE_DISABLED=true), and then the clients stay as they are.
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'redress' });
const traced = <T extends object>(client: T): T => (tracer.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client);

export const dynamo = DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});
export const sfn = traced(new SFNClient({}));
export const ses = traced(new SESClient({}));
export const s3 = traced(new S3Client({}));
