import { SESClient } from '@aws-sdk/client-ses';

/** Created once per container; the endpoint comes from AWS_ENDPOINT_URL_* (see dynamo.ts). */
export const ses = new SESClient({});
