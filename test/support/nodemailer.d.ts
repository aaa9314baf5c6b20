/** The part of nodemailer 9 the email-in tests use (the package ships no types). */
declare module 'nodemailer' {
  export interface SendMailOptions {
    from: string;
    to: string | string[];
    subject?: string;
    text?: string;
    html?: string;
    headers?: Record<string, string>;
    attachments?: { filename: string; content: Buffer | string; contentType?: string }[];
    envelope?: { from: string; to: string | string[] };
    inReplyTo?: string;
  }
  export interface Transporter {
    sendMail(
      options: SendMailOptions,
    ): Promise<{ messageId: string; accepted: string[]; rejected: string[]; response: string }>;
    close(): void;
  }
  export function createTransport(options: {
    host: string;
    port: number;
    secure?: boolean;
    ignoreTLS?: boolean;
    tls?: { rejectUnauthorized?: boolean };
  }): Transporter;
  const nodemailer: { createTransport: typeof createTransport };
  export default nodemailer;
}
