import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3 } from '../lib/clients/s3';

/**
 * Deletes every object under `prefix` in `bucket`, a page (up to 1,000 keys) at a time; the
 * number deleted. `what` names them in the error when S3 refuses some.
 */
export async function deleteUnderPrefix(bucket: string, prefix: string, what: string): Promise<number> {
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    const objects = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
    if (objects.length) {
      const result = await s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
      );
      if (result.Errors?.length)
        throw new Error(`Could not delete ${result.Errors.length} ${what}: ${result.Errors[0]?.Code}`);
      deleted += objects.length;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return deleted;
}
