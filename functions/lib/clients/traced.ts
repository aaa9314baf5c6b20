import { Tracer } from '@aws-lambda-powertools/tracer';

// In Lambda (active tracing) each SDK call becomes an X-Ray subsegment. The Tracer switches itself
// off outside Lambda (or with POWERTOOLS_TRACE_DISABLED=true), and then the clients stay as they are.
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'redress' });

export const traced = <T extends object>(client: T): T => (tracer.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client);
