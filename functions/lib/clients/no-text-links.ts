/**
 * `linkify-it` and its list of top-level domains (`tlds`) in the mail parser's bundle
 * (ReceiveMail). mailparser finds links only when it turns plain text into HTML (`textAsHtml`),
 * which Redress turns off (`skipTextToHtml`, functions/app/receive-mail.ts); yet it configures
 * a linkifier with every top-level domain when it loads (about 25 KB, and a large regular
 * expression built at each cold start). The bundle's linkifier takes the same configuration
 * calls and finds nothing: asked to look, it fails by name; `tlds` resolves to this module too,
 * the list the inert linkifier is handed and ignores. Run from source, both stay.
 */
const refuse = (): never => {
  throw new Error(
    'Link detection is not bundled in Redress functions (functions/lib/clients/no-text-links.ts): keep skipTextToHtml',
  );
};

interface InertLinkifier {
  tlds(): InertLinkifier;
  add(): InertLinkifier;
  set(): InertLinkifier;
  test(): never;
  pretest(): never;
  match(): never;
}

/** `require('linkify-it')()`: a linkifier whose configuration methods chain, as linkify-it's do. */
export function linkifyIt(): InertLinkifier {
  const linkifier: InertLinkifier = {
    tlds: () => linkifier,
    add: () => linkifier,
    set: () => linkifier,
    test: refuse,
    pretest: refuse,
    match: refuse,
  };
  return linkifier;
}
