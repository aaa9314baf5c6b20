import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';
import { s3 } from '../lib/clients/s3';

/** The errors of a store that keeps no versions to list (the local stand-in, s3rver): each object is its only version. */
const NO_VERSIONS = new Set(['MethodNotAllowed', 'NotImplemented']);

/**
 * Deletes everything under `prefix` in `bucket` for good: on the versioned evidence bucket a plain
 * delete only stacks a delete marker on the object and keeps its bytes as a non-current version,
 * so every version and every delete marker under the prefix is deleted by its version id, a page
 * (up to 1,000) at a time. A store that lists no versions has its objects deleted by key. The
 * number deleted (versions and markers); `what` names them in the error when S3 refuses some.
 */
export async function deleteUnderPrefix(
  bucket: string,
  prefix: string,
  what: string,
  client: Pick<S3Client, 'send'> = s3,
): Promise<number> {
  try {
    return await deleteVersionsUnder(client, bucket, prefix, what);
  } catch (error) {
    if (!NO_VERSIONS.has((error as { name?: string }).name ?? '')) throw error;
    return deleteObjectsUnder(client, bucket, prefix, what);
  }
}

async function deleteVersionsUnder(
  client: Pick<S3Client, 'send'>,
  bucket: string,
  prefix: string,
  what: string,
): Promise<number> {
  let deleted = 0;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        ...(keyMarker ? { KeyMarker: keyMarker } : {}),
        ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}),
      }),
    );
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(
      (version): ObjectIdentifier => ({
        Key: version.Key!,
        ...(version.VersionId ? { VersionId: version.VersionId } : {}),
      }),
    );
    deleted += await deleteAll(client, bucket, objects, what);
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return deleted;
}

async function deleteObjectsUnder(
  client: Pick<S3Client, 'send'>,
  bucket: string,
  prefix: string,
  what: string,
): Promise<number> {
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    deleted += await deleteAll(
      client,
      bucket,
      (page.Contents ?? []).map((object) => ({ Key: object.Key! })),
      what,
    );
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return deleted;
}

async function deleteAll(
  client: Pick<S3Client, 'send'>,
  bucket: string,
  objects: ObjectIdentifier[],
  what: string,
): Promise<number> {
  if (!objects.length) return 0;
  const result = await client.send(
    new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
  );
  if (result.Errors?.length)
    throw new Error(`Could not delete ${result.Errors.length} ${what}: ${result.Errors[0]?.Code}`);
  return objects.length;
}
