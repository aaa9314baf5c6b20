import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';

/** AWS End User Messaging SMS; created once per container; the endpoint comes from AWS_ENDPOINT_URL_* (see dynamo.ts). */
export const sms = new PinpointSMSVoiceV2Client({});
