/**
 * `dom-serializer` (and the `entities` release it alone uses) in the mail parser's bundle
 * (ReceiveMail). html-to-text, which turns an HTML-only mail into its text, writes HTML back out
 * only for selectors formatted as `blockHtml` or `inlineHtml`, which its defaults (all mailparser
 * uses) never are; domutils's `getOuterHTML`, the other caller, is not called. This leaves out
 * about 60 KB of entity tables; should HTML ever be asked for, it fails by name. Run from source,
 * both stay.
 */
export function render(): never {
  throw new Error('Writing HTML is not bundled in Redress functions (functions/lib/clients/no-html-serializer.ts)');
}

export default render;
