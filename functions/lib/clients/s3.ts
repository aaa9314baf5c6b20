import { S3Client } from '@aws-sdk/client-s3';

/** Created once per container; the endpoint comes from AWS_ENDPOINT_URL_* (see dynamo.ts). */
export const s3 = new S3Client({});
