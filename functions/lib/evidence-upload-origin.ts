import { settings } from './settings';

const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;
/** A bucket name S3 serves as its own host name (virtual-hosted style). */
const HOST_LABEL = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * The origin browsers upload evidence to: the evidence bucket's S3 endpoint, as the SDK addresses
 * it in a presigned POST (the bucket as host name, or after the endpoint when that is an IP
 * address, as the local S3 is). The pages whose script uploads name it in their
 * Content-Security-Policy. Computed from the bucket, the region and AWS_ENDPOINT_URL_S3, so a
 * page that only shows a form does not load the S3 client.
 */
export function evidenceUploadOrigin(): string {
  const bucket = settings().evidenceBucket;
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL;
  if (endpoint) {
    const url = new URL(endpoint);
    return IP_ADDRESS.test(url.hostname) || !HOST_LABEL.test(bucket)
      ? url.origin
      : `${url.protocol}//${bucket}.${url.host}`;
  }
  const region = process.env.AWS_REGION;
  if (!region) throw new Error('Environment variable AWS_REGION is not set');
  return `https://${bucket}.s3.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}
