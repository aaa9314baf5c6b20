import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/** Created once per container; the endpoint comes from AWS_ENDPOINT_URL_* (see dynamo.ts). */
export const eventBridge = new EventBridgeClient({});
