import { Aws, CfnOutput, Fn } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The subdomain of `mailDomain` that SES uses as the envelope sender (custom MAIL FROM). */
export const MAIL_FROM_SUBDOMAIN = 'bounce';

export const mailFromDomainOf = (mailDomain: string) => `${MAIL_FROM_SUBDOMAIN}.${mailDomain}`;

/**
 * The DNS records that make mail from `mailDomain` land, beside the three DKIM CNAMEs: the custom
 * MAIL FROM domain's MX and SPF (so SPF aligns with the From domain and bounces come back to SES)
 * and a DMARC policy to start from. Printed as stack outputs, one record each, for the operator
 * to publish; until the MX resolves SES sends with its own MAIL FROM (amazonses.com), so nothing
 * stops in between.
 */
export class MailFromDomainRecords extends Construct {
  constructor(scope: Construct, id: string, props: { mailDomain: string }) {
    super(scope, id);
    const mailFrom = mailFromDomainOf(props.mailDomain);
    const records: [string, string, string][] = [
      [
        'MailFromMxRecord',
        Fn.join('', [mailFrom, ' MX 10 feedback-smtp.', Aws.REGION, '.amazonses.com']),
        'The custom MAIL FROM domain: bounces go back to SES',
      ],
      ['MailFromSpfRecord', `${mailFrom} TXT "v=spf1 include:amazonses.com ~all"`, 'SPF for the MAIL FROM domain'],
      [
        'DmarcRecord',
        `_dmarc.${props.mailDomain} TXT "v=DMARC1; p=none; adkim=r; aspf=r"`,
        'A DMARC policy to start from (p=none: report only); tighten to quarantine once reports are clean',
      ],
    ];
    for (const [outputId, value, description] of records)
      new CfnOutput(this, outputId, { value, description }).overrideLogicalId(outputId);
  }
}
