import { randomBytes } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from '../lib/clients/s3';
import { settings } from '../lib/settings';
import { deleteUnderPrefix } from './bucket-prefix';

/**
 * Case archives (the complainant's copy, the referral bundle) are handed out from the evidence
 * bucket, not in a function's response: API Gateway answers at most 10 MB and Lambda 6 MB (about
 * 4.5 MB of ZIP once base64), less than one case's evidence may be. Each archive is written under
 * `exports/<complaint id>/<random>/<file name>` and fetched through a presigned GET that lives
 * ARCHIVE_LINK_SECONDS and always downloads under its file name. The bucket's lifecycle deletes
 * `exports/` a day later (infra/constructs/data.ts); the case's purge deletes its own at once.
 */
export const ARCHIVE_PREFIX = 'exports/';
export const ARCHIVE_LINK_SECONDS = 300;

const bucket = () => settings().evidenceBucket;

/** Stores an archive and returns a link that downloads it for the next ARCHIVE_LINK_SECONDS. */
export async function storeArchive(complaintId: string, fileName: string, bytes: Uint8Array): Promise<string> {
  const key = `${ARCHIVE_PREFIX}${complaintId}/${randomBytes(12).toString('hex')}/${fileName}`;
  const disposition = `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket(),
      Key: key,
      Body: bytes,
      ContentType: 'application/zip',
      ContentDisposition: disposition,
    }),
  );
  return getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: bucket(),
      Key: key,
      ResponseContentType: 'application/zip',
      ResponseContentDisposition: disposition,
      ResponseCacheControl: 'no-store',
    }),
    { expiresIn: ARCHIVE_LINK_SECONDS },
  );
}

/** Deletes every archive made of a case (its purge); the number deleted. */
export function purgeCaseArchives(complaintId: string): Promise<number> {
  return deleteUnderPrefix(bucket(), `${ARCHIVE_PREFIX}${complaintId}/`, `archive(s) of ${complaintId}`);
}
