import { createHmac, timingSafeEqual } from 'node:crypto';
import { linkSigningKey } from './links';
import { settings } from './settings';

/**
 * A weekly report's unsubscribe link names its recipient and carries an HMAC of that address
 * under the link-signing key: `<base64url(address)>.<hmac>`. Only the key's holder can make one,
 * so nobody can unsubscribe someone else; nothing is stored to make it. (The API's access logs
 * record the route's template, never the path's value.)
 */
async function signatureOf(address: string): Promise<string> {
  return createHmac('sha256', await linkSigningKey())
    .update(`reports-unsubscribe:${address.trim().toLowerCase()}`)
    .digest('base64url');
}

export async function reportUnsubscribeUrl(address: string): Promise<string> {
  const token = `${Buffer.from(address.trim().toLowerCase()).toString('base64url')}.${await signatureOf(address)}`;
  return `${settings().publicBaseUrl}/reports/unsubscribe/${token}`;
}

/** The address an unsubscribe token was made for, or undefined when it is not one of ours. */
export async function addressOfUnsubscribeToken(token: string): Promise<string | undefined> {
  const match = /^([A-Za-z0-9_-]{4,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const address = Buffer.from(match[1]!, 'base64url').toString('utf8');
  const expected = Buffer.from(await signatureOf(address));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? address : undefined;
}
