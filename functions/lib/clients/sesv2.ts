import { SESv2Client } from '@aws-sdk/client-sesv2';

/**
 * SES v2, which sends: its SendEmail carries headers of our own (Auto-Submitted,
 * List-Unsubscribe) that v1's cannot. Created once per container; the endpoint comes from
 * AWS_ENDPOINT_URL_SESV2 (see dynamo.ts).
 */
export const sesv2 = new SESv2Client({});
