import { SFNClient } from '@aws-sdk/client-sfn';
import { traced } from './traced';

/** Created once per container; the endpoint comes from AWS_ENDPOINT_URL_* (see dynamo.ts). */
export const sfn = traced(new SFNClient({}));
