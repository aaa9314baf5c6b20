import type { HttpResult } from './http';

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
