import { SESClient } from '@aws-sdk/client-ses';
import { traced } from './traced';

/** Created once per container; the endpoint comes from AWS_ENDPOINT_URL_* (see dynamo.ts). */
export const ses = traced(new SESClient({}));
