/** The part of mailparser 3.9 that Redress uses (the package ships no types). */
declare module 'mailparser' {
  export interface EmailAddress {
    address?: string;
    name: string;
  }
  export interface AddressObject {
    value: EmailAddress[];
    text: string;
  }
  export interface Attachment {
    filename?: string;
    contentType: string;
    content: Buffer;
    size: number;
    related?: boolean;
    contentDisposition?: string;
  }
  export interface ParsedMail {
    headers: Map<string, unknown>;
    subject?: string;
    from?: AddressObject;
    to?: AddressObject | AddressObject[];
    cc?: AddressObject | AddressObject[];
    messageId?: string;
    inReplyTo?: string;
    text?: string;
    html?: string | false;
    attachments: Attachment[];
  }
  export function simpleParser(
    source: Buffer | string,
    options?: { skipHtmlToText?: boolean; skipTextToHtml?: boolean; skipTextLinks?: boolean; skipImageLinks?: boolean },
  ): Promise<ParsedMail>;
}
