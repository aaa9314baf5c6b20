import { S3Client } from '@aws-sdk/client-s3';
import { traced } from './traced';

/** Created once per container; the endpoint comes from AWS_ENDPOINT_URL_* (see dynamo.ts). */
export const s3 = traced(new S3Client({}));
