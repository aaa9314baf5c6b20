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

/** The staff entry form's script (staff-entry.browser.ts), read from `#entry-form`. */
export interface StaffEntryData extends UploadTexts {
  /** The case page to open once the caller's files are up (`{id}` stands for the case). */
  casePage: string;
}

/** A message form's upload control (attach.browser.ts: the staff case page, the respondent's link), read from `#message-form`. */
export interface AttachData extends UploadTexts {
  /** POST here (JSON) for a presigned upload of one file. */
  grant: string;
  /** GET here (JSON): its `evidence` lists the files recorded so far. */
  poll: string;
  /** The page nonce (staff pages), sent as x-redress-nonce; or '' */
  nonce: string;
  /** The link's token (the respondent), sent as a bearer token; or '' */
  token: string;
  /** Said while a stored file is being checked, then once it may be sent. */
  checking: string;
  ready: string;
  notAccepted: string;
}
