import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SMTPServer } from 'smtp-server';

/** The largest message SES receiving takes; the desk's own cap (inbound.maxBytes) is the handler's. */
const SES_MAX_BYTES = 40 * 1024 * 1024;

/**
 * SES email receiving on one machine (smtp-server, in process, on 127.0.0.1): it takes mail for
 * the inbound domain only (as a receipt rule's recipient condition would), writes the raw message
 * to the local S3 under `inbound/<message id>` (the rule's S3 action), then invokes the receiving
 * function with the event SES's Lambda action sends (verdicts PASS: there is no scanner here),
 * and answers once it has run.
 */
export class LocalSmtp {
  private server?: SMTPServer;

  async start(options: {
    port: number;
    domain: string;
    bucket: string;
    s3Endpoint: string;
    deliver: (event: unknown) => Promise<unknown>;
  }): Promise<number> {
    const s3 = new S3Client({
      endpoint: options.s3Endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const domain = options.domain.toLowerCase();
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      banner: 'Redress local inbound (SES stand-in)',
      size: SES_MAX_BYTES,
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.toLowerCase().endsWith(`@${domain}`)) return callback();
        const refused = Object.assign(
          new Error(`5.1.1 <${address.address}>: this server takes mail for ${domain} only`),
          { responseCode: 550 },
        );
        callback(refused);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (error: Error) => callback(error));
        stream.on('end', () => {
          if (stream.sizeExceeded)
            return callback(Object.assign(new Error('5.3.4 message too large'), { responseCode: 552 }));
          const raw = Buffer.concat(chunks);
          const messageId = randomBytes(16).toString('hex');
          const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const recipients = session.envelope.rcptTo.map((r) => r.address);
          // Unlike SES (which answers, then runs its Lambda action), the stand-in answers 250 once the
          // function has run: whoever sends (a test, a person) sees the outcome when the SMTP
          // transaction ends. A failure answers 451, so the sender tries again, as SES's retries would.
          void s3
            .send(
              new PutObjectCommand({
                Bucket: options.bucket,
                Key: `inbound/${messageId}`,
                Body: raw,
                ContentType: 'message/rfc822',
              }),
            )
            .then(() => options.deliver(sesEvent({ messageId, mailFrom, recipients })))
            .then(
              () => callback(null, `Message accepted ${messageId}`),
              (error: Error) => {
                console.error(JSON.stringify({ level: 'error', message: 'ReceiveMail failed', error: String(error) }));
                callback(
                  Object.assign(new Error('4.3.0 could not take the message now; try again later'), {
                    responseCode: 451,
                  }),
                );
              },
            );
        });
      },
    });
    this.server.on('error', (error) =>
      console.error(JSON.stringify({ level: 'error', message: 'local SMTP error', error: String(error) })),
    );
    await new Promise<void>((resolve, reject) => {
      this.server!.server.once('error', reject);
      this.server!.listen(options.port, '127.0.0.1', () => resolve());
    });
    return (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The record SES's Lambda action sends (the parts the handler reads). */
function sesEvent(mail: { messageId: string; mailFrom: string; recipients: string[] }) {
  const pass = { status: 'PASS' };
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: new Date().toISOString(),
            source: mail.mailFrom,
            messageId: mail.messageId,
            destination: mail.recipients,
            headersTruncated: false,
            headers: [],
            commonHeaders: {},
          },
          receipt: {
            timestamp: new Date().toISOString(),
            processingTimeMillis: 0,
            recipients: mail.recipients,
            spamVerdict: pass,
            virusVerdict: pass,
            spfVerdict: pass,
            dkimVerdict: pass,
            dmarcVerdict: pass,
            action: {
              type: 'Lambda',
              functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ReceiveMail',
              invocationType: 'Event',
            },
          },
        },
      },
    ],
  };
}
