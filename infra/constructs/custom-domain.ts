import { CfnOutput } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface CustomDomainProps {
  api: apigw.RestApi;
  /** The name the desk is served at, e.g. complaints.example.org. */
  name: string;
  /** A Route 53 hosted zone the name is in: the certificate is validated and the alias written there. */
  hostedZoneId?: string;
  /** A certificate of the operator's for the name (in the stack's region); else one is requested. */
  certificateArn?: string;
}

/**
 * The desk at its own domain: an ACM certificate (regional, as the API is), an API Gateway
 * custom domain mapped to the API's stage at its root (so `https://<name>/complaints` is the
 * API's `/complaints`, and the links in emails open), and, given a hosted zone, the alias record.
 * Without a zone, the operator publishes the certificate's validation CNAME (the deploy waits for
 * it; ACM's console shows it) and a CNAME from the name to the `CustomDomainTarget` output.
 */
export class CustomDomain extends Construct {
  readonly domain: apigw.DomainName;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    const zone = props.hostedZoneId ? route53.HostedZone.fromHostedZoneId(this, 'Zone', props.hostedZoneId) : undefined;
    const certificate = props.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : new acm.Certificate(this, 'Certificate', {
          domainName: props.name,
          validation: acm.CertificateValidation.fromDns(zone),
        });
    this.domain = new apigw.DomainName(this, 'Domain', {
      domainName: props.name,
      certificate,
      endpointType: apigw.EndpointType.REGIONAL,
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
    });
    this.domain.addBasePathMapping(props.api, { stage: props.api.deploymentStage });
    if (zone) {
      new route53.ARecord(this, 'Alias', {
        zone,
        // Fully qualified: a zone known by its id alone has no name to append.
        recordName: `${props.name}.`,
        target: route53.RecordTarget.fromAlias(new route53Targets.ApiGatewayDomain(this.domain)),
      });
    }
    new CfnOutput(this, 'Target', {
      value: this.domain.domainNameAliasDomainName,
      description: zone
        ? `${props.name} is an alias of this (written in the hosted zone)`
        : `Publish: ${props.name} CNAME <this value>`,
    }).overrideLogicalId('CustomDomainTarget');
  }
}
