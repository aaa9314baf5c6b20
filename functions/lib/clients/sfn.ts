import { SFNClient } from '@aws-sdk/client-sfn';

/** Created once per container; the endpoint comes from AWS_ENDPOINT_URL_* (see dynamo.ts). */
export const sfn = new SFNClient({});
