import type { HttpResult } from './http';

/** What every download answers with: saved under its name, never cached, never sniffed into something that runs. */
const downloadHeaders = (contentType: string, fileName: string) => ({
  'content-type': contentType,
  'content-disposition': `attachment; filename="${fileName}"`,
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
});

/**
 * A case archive as a download: 303 See Other to its short-lived presigned link (the ZIP itself
 * may pass what API Gateway and Lambda can answer), for browsers and API clients alike; never
 * cached. The manifest's hash rides along, as recorded in the case's history.
 */
export function archiveRedirect(archive: { url: string; manifestSha256: string }): HttpResult {
  return {
    statusCode: 303,
    headers: {
      location: archive.url,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-manifest-sha256': archive.manifestSha256,
    },
    body: '',
  };
}

/** A CSV (the cases and analytics views) as a download. */
export function csvResult(body: string, fileName: string, headers: Record<string, string> = {}): HttpResult {
  return { statusCode: 200, headers: { ...downloadHeaders('text/csv; charset=utf-8', fileName), ...headers }, body };
}
