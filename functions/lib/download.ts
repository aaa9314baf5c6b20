import type { HttpResult } from './http';

/** A case archive as a download: the ZIP's bytes (base64 through API Gateway), never cached. */
export function archiveResult(archive: { fileName: string; bytes: Uint8Array; manifestSha256: string }): HttpResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${archive.fileName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-manifest-sha256': archive.manifestSha256,
    },
    body: Buffer.from(archive.bytes).toString('base64'),
    isBase64Encoded: true,
  };
}
