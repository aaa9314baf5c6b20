import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { EvidenceItem } from '../domain/evidence-policy';
import { s3 } from '../lib/clients/s3';
import { settings } from '../lib/settings';

/**
 * The bytes of one recorded evidence file, the version the history recorded (a case archive
 * carries the files themselves). Undefined when the object is gone (purged, or never kept).
 */
export async function readEvidenceBytes(
  item: Pick<EvidenceItem, 'key' | 'versionId'>,
): Promise<Uint8Array | undefined> {
  try {
    const object = await s3.send(
      new GetObjectCommand({
        Bucket: settings().evidenceBucket,
        Key: item.key,
        ...(item.versionId ? { VersionId: item.versionId } : {}),
      }),
    );
    return object.Body ? await object.Body.transformToByteArray() : undefined;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchVersion') return undefined;
    throw error;
  }
}
