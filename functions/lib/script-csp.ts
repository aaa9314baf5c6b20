import { randomBytes } from 'node:crypto';

/**
 * The Content-Security-Policy of the few pages that run a script (the complaint form, the
 * evidence upload page): one inline script allowed by a fresh nonce, talking only to the listed
 * origins. Every other page keeps http.ts's script-free policy.
 */
export function newScriptNonce(): string {
  return randomBytes(16).toString('base64');
}

export function scriptPageCsp(nonce: string, connectOrigins: string[]): string {
  const connect = [...new Set(["'self'", ...connectOrigins])].join(' ');
  return `default-src 'none'; script-src 'nonce-${nonce}'; connect-src ${connect}; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}
