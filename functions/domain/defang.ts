/**
 * Text a complainant or respondent wrote, as staff read it: no URL in it can be a live link, and
 * its host stays readable. A URL is defanged the way security teams write them
 * (`https://login.evil.example/x` → `hxxps://login[.]evil[.]example/x`): no mail client or browser
 * makes a link of it, and the reader still sees where it pointed. A desk mail to staff comes from
 * the desk's own address, so a live link there would lend the desk's trust to whatever a stranger
 * wrote.
 */

/** A dot, or one of the dots IDNA reads as one (ideographic, fullwidth, halfwidth). */
const DOT = '[.\u3002\uff0e\uff61]';
/** `scheme://authority`: the authority (userinfo, host, port) runs to the first `/ ? #`, space or quote. */
const SCHEME_URL = /\b([a-z][a-z0-9+.-]{1,15}):\/\/([^\s/?#<>"'`]*)/gi;
/** Hosts mail clients link without a scheme: `www.…`, and `name.tld` followed by a path or port. */
const WWW_HOST = new RegExp(`\\bwww${DOT}[\\p{L}\\p{N}-]+(?:${DOT}[\\p{L}\\p{N}-]+)*`, 'giu');
const HOST_WITH_PATH = new RegExp(`(?<![\\p{L}\\p{N}@-])(?:[\\p{L}\\p{N}-]+${DOT})+\\p{L}{2,24}(?=[/:][^\\s/])`, 'giu');

const dots = (text: string) => text.replace(new RegExp(DOT, 'g'), '[.]');

export function defang(text: string): string {
  return text
    .replace(SCHEME_URL, (_, scheme: string, authority: string) => {
      const web = /^https?$/i.test(scheme);
      // http → hxxp, https → hxxps; any other scheme loses its colon.
      return web ? `${scheme[0]}xx${scheme.slice(3)}://${dots(authority)}` : `${scheme}[:]//${dots(authority)}`;
    })
    .replace(WWW_HOST, dots)
    .replace(HOST_WITH_PATH, dots);
}
