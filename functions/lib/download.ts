import type { HttpResult } from './http';

/** What every download answers with: saved under its name, never cached, never sniffed into something that runs. */
const downloadHeaders = (contentType: string, fileName: string) => ({
  'content-type': contentType,
  'content-disposition': `attachment; filename="${fileName}"`,
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
});

/** A case archive as a download: the ZIP's bytes (base64 through API Gateway), never cached. */
export function archiveResult(archive: { fileName: string; bytes: Uint8Array; manifestSha256: string }): HttpResult {
  return {
    statusCode: 200,
    headers: {
      ...downloadHeaders('application/zip', archive.fileName),
      'referrer-policy': 'no-referrer',
      'x-manifest-sha256': archive.manifestSha256,
    },
    body: Buffer.from(archive.bytes).toString('base64'),
    isBase64Encoded: true,
  };
}

/** A CSV (the cases and analytics views) as a download. */
export function csvResult(body: string, fileName: string, headers: Record<string, string> = {}): HttpResult {
  return { statusCode: 200, headers: { ...downloadHeaders('text/csv; charset=utf-8', fileName), ...headers }, body };
}
