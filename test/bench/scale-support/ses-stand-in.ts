/**
 * SES v1 `SendEmail` for a bench: it takes every send and counts it per recipient, or refuses
 * the sends to the addresses in `refusing` with `Throttling` (what SES answers above its sending
 * rate), so a bench can make one recipient's send fail and see what is tried again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SesStandIn {
  url: string;
  /** Sends taken, per recipient. */
  sent: Map<string, number>;
  /** Sends refused, per recipient. */
  refused: Map<string, number>;
  /** Addresses whose sends are refused while they are in here. */
  refusing: Set<string>;
  close: () => Promise<void>;
}

export async function startSesStandIn(): Promise<SesStandIn> {
  const sent = new Map<string, number>();
  const refused = new Map<string, number>();
  const refusing = new Set<string>();
  let messages = 0;
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk.toString();
    const form = new URLSearchParams(body);
    const to = form.get('Destination.ToAddresses.member.1') ?? '';
    if (form.get('Action') !== 'SendEmail') {
      res.writeHead(400, { 'content-type': 'text/xml' });
      return res.end('<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>');
    }
    if (refusing.has(to)) {
      refused.set(to, (refused.get(to) ?? 0) + 1);
      res.writeHead(400, { 'content-type': 'text/xml' });
      return res.end(
        '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>bench</RequestId></ErrorResponse>',
      );
    }
    sent.set(to, (sent.get(to) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>bench-${++messages}</MessageId></SendEmailResult><ResponseMetadata><RequestId>bench-${messages}</RequestId></ResponseMetadata></SendEmailResponse>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    refused,
    refusing,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
