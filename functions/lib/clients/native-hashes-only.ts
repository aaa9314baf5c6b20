/**
 * The SDK's pure-JavaScript SHA-256, SHA-1 and MD5 (`Sha256Js`, `Sha1Js`, `Md5Js`) in a Lambda
 * bundle. Each is a fallback that the SDK's Node hash picks only when `node:crypto` cannot make
 * that hash (checked once, at load); Node in Lambda always can (no FIPS mode), so the fallback
 * is never built. Should it ever be, it fails by name rather than hash wrongly. Run from source,
 * the SDK's own fallbacks stay.
 */
class NoJavaScriptHash {
  constructor() {
    throw new Error(
      'No JavaScript hash fallback in a Redress function bundle: node:crypto lacks the hash (functions/lib/clients/native-hashes-only.ts)',
    );
  }
}

export { NoJavaScriptHash as Sha256Js, NoJavaScriptHash as Sha1Js, NoJavaScriptHash as Md5Js };
