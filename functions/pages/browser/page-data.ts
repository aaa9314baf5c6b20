/**
 * What the pages hand their browser scripts. A page renders one of these records as `data-*`
 * attributes of the script's form (`dataAttributes` in ../layout.ts: `uploadFailed` becomes
 * `data-upload-failed`), and the script reads them back through `dataset`. Both sides are
 * checked against these types, so a text the script asks for is one the page renders.
 */

/** The texts `upload` shows in its list items, in the page's language. */
export interface UploadTexts {
  uploading: string;
  uploaded: string;
  uploadFailed: string;
}

/** The complaint form's script (complaint-form.browser.ts), read from `#complaint-form`. */
export interface ComplaintFormData extends UploadTexts {
  /** The API's public base URL, without a trailing slash. */
  api: string;
  sending: string;
  fixErrors: string;
  failed: string;
  duplicate: string;
}

/** The evidence page's script (evidence-upload.browser.ts), read from `#evidence-form`. */
export interface EvidenceUploadData extends UploadTexts {
  /** The API's public base URL, without a trailing slash. */
  api: string;
  /** The complaint's id. */
  complaint: string;
  /** The tracking token, which authorises the uploads. */
  token: string;
}

/** Reads one key of a page's data from an element's `data-*` attributes ('' when missing). */
export function pageData<Data>(element: HTMLElement): (key: keyof Data & string) => string {
  return (key) => element.dataset[key] || '';
}
