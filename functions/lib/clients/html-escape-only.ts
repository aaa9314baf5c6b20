/**
 * `he` in the mail parser's bundle (ReceiveMail). mailparser calls `he.encode` with its default
 * options, for the HTML it writes around an attached message's headers and around addresses
 * (`parsed.html`, `address.html`), and with named references only when it turns plain text into
 * HTML, which Redress turns off (`skipTextToHtml`, functions/app/receive-mail.ts). The default
 * encoding needs no table: `"&'<>\`` and every character outside printable ASCII (bar tab, line
 * feed and carriage return) become hexadecimal references, as below, the same rules as `he`'s.
 * This leaves out `he`'s tables of named references (about 70 KB); any other option fails by name.
 * Run from source, `he` stays.
 */
const ESCAPED = /["&'<>`]/g;
const ASTRAL = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
/** What `he` encodes outside printable ASCII: its `regexBmpWhitelist`. */
const NOT_PRINTABLE_ASCII = /[\x01-\t\x0B\f\x0E-\x1F\x7F\x81\x8D\x8F\x90\x9D\xA0-\uFFFF]/g;

const hexReference = (codePoint: number) => `&#x${codePoint.toString(16).toUpperCase()};`;
const bmpReference = (symbol: string) => hexReference(symbol.charCodeAt(0));

export function encode(text: string, options?: Record<string, unknown>): string {
  if (options && Object.values(options).some(Boolean))
    throw new Error(
      `he.encode options ${JSON.stringify(options)} are not bundled in Redress functions (functions/lib/clients/html-escape-only.ts)`,
    );
  return text
    .replace(ESCAPED, bmpReference)
    .replace(ASTRAL, (pair) =>
      hexReference((pair.charCodeAt(0) - 0xd800) * 0x400 + pair.charCodeAt(1) - 0xdc00 + 0x10000),
    )
    .replace(NOT_PRINTABLE_ASCII, bmpReference);
}

/** `he.decode`: not used by the mail parser. */
export function decode(): never {
  throw new Error('he.decode is not bundled in Redress functions (functions/lib/clients/html-escape-only.ts)');
}
