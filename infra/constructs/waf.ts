import type { Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { DeploymentConfig } from '../deploy-config';

/** The web ACL's name and its per-client rate rule's, which the alarms watch. */
export interface ApiFirewall {
  webAclName: string;
  rateRuleName: string;
}

const TOO_MANY_REQUESTS = {
  block: { customResponse: { responseCode: 429, customResponseBodyKey: 'TooManyRequests' } },
};

const visibility = (metricName: string) => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

/**
 * AWS WAF in front of the API stage: a rate-based rule per IP, a lower one for filing, and two
 * AWS managed groups. Created in the stack's own scope, as it was when the stack built it inline,
 * so its logical IDs stay as deployed.
 */
export function apiFirewall(stack: Stack, stage: apigw.Stage, config: DeploymentConfig['waf']): ApiFirewall {
  const waf = { webAclName: `${stack.stackName}-public-api`, rateRuleName: 'PerClientRateLimit' };
  const webAcl = new wafv2.CfnWebACL(stack, 'ApiWebAcl', {
    name: waf.webAclName,
    description: 'Redress public API: per-IP rate limit, AWS IP reputation and known bad inputs',
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility(waf.webAclName),
    customResponseBodies: {
      TooManyRequests: {
        contentType: 'APPLICATION_JSON',
        content: JSON.stringify({
          type: 'about:blank',
          title: 'Too Many Requests',
          status: 429,
          detail: 'Too many requests from your network; try again in a few minutes.',
        }),
      },
    },
    rules: [
      {
        name: waf.rateRuleName,
        priority: 0,
        action: TOO_MANY_REQUESTS,
        statement: {
          rateBasedStatement: { limit: config.rateLimitPer5Minutes, evaluationWindowSec: 300, aggregateKeyType: 'IP' },
        },
        visibilityConfig: visibility(waf.rateRuleName),
      },
      filingLimit(config.filingsPer5Minutes),
      // Two low-false-positive groups; the Core rule set is left out, its 8 KB body rule would refuse long complaints.
      ...['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet'].map((name, index) => ({
        name,
        priority: index + 1,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
        visibilityConfig: visibility(name),
      })),
    ],
  });
  new wafv2.CfnWebACLAssociation(stack, 'ApiWebAclAssociation', {
    resourceArn: stage.stageArn,
    webAclArn: webAcl.attrArn,
  });
  return waf;
}

/** Filing is what costs (mail, a workflow, records): one network files at most this many in 5 minutes. */
function filingLimit(limit: number): wafv2.CfnWebACL.RuleProperty {
  const matches = (fieldToMatch: object, positionalConstraint: string, searchString: string) => ({
    byteMatchStatement: {
      fieldToMatch,
      positionalConstraint,
      searchString,
      textTransformations: [{ priority: 0, type: 'NONE' }],
    },
  });
  return {
    name: 'PerClientFilingLimit',
    priority: 3,
    action: TOO_MANY_REQUESTS,
    statement: {
      rateBasedStatement: {
        limit,
        evaluationWindowSec: 300,
        aggregateKeyType: 'IP',
        scopeDownStatement: {
          andStatement: {
            statements: [
              matches({ method: {} }, 'EXACTLY', 'POST'),
              matches({ uriPath: {} }, 'ENDS_WITH', '/complaints'),
            ],
          },
        },
      },
    },
    visibilityConfig: visibility('PerClientFilingLimit'),
  };
}
