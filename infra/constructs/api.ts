import { Aws, Fn, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FUNCTIONS, UNKNOWN_ADDRESS_RESOURCE } from '../../functions/catalog';
import type { DeploymentConfig } from '../deploy-config';
import type { RedressFunction } from './redress-function';
import { type ApiFirewall, apiFirewall } from './waf';

export const API_STAGE = 'prod';

/*
 * The public REST API: the API and its access logs, then (once the functions exist) its request
 * validators, gateway responses and one method per catalog route, then the per-client limits.
 * Every resource is created in the stack's own scope or the API's, as it was when the stack built
 * them inline: a construct of its own would change their logical IDs, and CloudFormation replaces
 * a resource whose logical ID changes.
 */
export class PublicApi {
  readonly api: apigw.RestApi;
  readonly accessLogs: logs.LogGroup;
  /** The default base URL (the stage's), and where emailed links point (the operator's base URL, else that one). */
  readonly url: string;
  readonly publicBaseUrl: string;
  /** The origin Redress's own pages load from: the evidence bucket's CORS allows it. */
  readonly pageOrigin: string;

  /** Created first: its id gives the default public URL and the upload origin. */
  constructor(
    private readonly stack: Stack,
    config: DeploymentConfig,
  ) {
    this.accessLogs = new logs.LogGroup(stack, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    this.api = new apigw.RestApi(stack, 'PublicApi', {
      restApiName: `${stack.stackName}-public`,
      description: 'Redress: public complaint intake, tracking links and emailed task links',
      // REST API stages refuse any CloudWatch logging (access logs included) until the region's
      // API Gateway account setting names a role; a fresh account has none, so the stack sets it.
      // The role is kept on stack deletion: other APIs in the account may rely on it by then.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      // No binary media types: every body through the API is text (JSON, forms, pages, CSV). Files
      // go to and from S3 by presigned links (evidence uploads, case archives: a 303 to a GET).
      deployOptions: stageOptions(config, this.accessLogs),
    });
    // The API's own `Endpoint` output repeats the stack's ApiUrl.
    this.api.node.tryRemoveChild('Endpoint');
    // Not `api.url`: that names the stage, which depends on every method, hence every function.
    const origin = Fn.join('', ['https://', this.api.restApiId, '.execute-api.', Aws.REGION, '.', Aws.URL_SUFFIX]);
    this.url = Fn.join('', [
      'https://',
      this.api.restApiId,
      '.execute-api.',
      Aws.REGION,
      '.',
      Aws.URL_SUFFIX,
      `/${API_STAGE}`,
    ]);
    this.publicBaseUrl = config.publicBaseUrl ?? this.url;
    this.pageOrigin = config.publicBaseUrl ? new URL(config.publicBaseUrl).origin : origin;
  }

  /** Routes (functions/catalog.ts), one integration per function, behind a coarse request gate. */
  addRoutes(functions: ReadonlyMap<string, RedressFunction>): void {
    const bodyValidator = this.api.addRequestValidator('BodyAndParameters', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const parameterValidator = this.api.addRequestValidator('ParametersOnly', {
      validateRequestBody: false,
      validateRequestParameters: true,
    });
    // A coarse gate only: the handler validates every field and answers in the complainant's language.
    const jsonObject = this.api.addModel('JsonObjectBody', {
      contentType: 'application/json',
      modelName: 'JsonObjectBody',
      schema: { schema: apigw.JsonSchemaVersion.DRAFT4, title: 'JsonObjectBody', type: apigw.JsonSchemaType.OBJECT },
    });
    addGatewayResponses(this.api);
    const methods: { method: apigw.Method; path: string }[] = [];
    for (const spec of FUNCTIONS) {
      if (!spec.routes?.length) continue;
      // One invoke permission per function for all its routes on this API (a Lambda integration
      // would add one per method: the stack would pass CloudFormation's 500 resources).
      const fn = functions.get(spec.id)!.function;
      fn.addPermission('PublicApiInvoke', {
        principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        sourceArn: this.api.arnForExecuteApi('*', '/*', this.api.deploymentStage.stageName),
      });
      const integration = new apigw.AwsIntegration({
        proxy: true,
        service: 'lambda',
        path: `2015-03-31/functions/${fn.functionArn}/invocations`,
      });
      for (const route of spec.routes) {
        const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
        const jsonBody = route.method === 'POST' && route.path === '/complaints';
        const method = this.api.root.resourceForPath(route.path).addMethod(route.method, integration, {
          operationName: `${spec.id}${route.method === 'GET' ? 'Get' : 'Post'}`,
          requestParameters: Object.fromEntries(pathParameters.map((name) => [`method.request.path.${name}`, true])),
          requestValidator: jsonBody ? bodyValidator : parameterValidator,
          ...(jsonBody ? { requestModels: { 'application/json': jsonObject } } : {}),
        });
        methods.push({ method, path: route.path });
      }
      // Browsers get our own 404 page for an unknown address: a gateway response is never chosen
      // by a list-valued Accept nor by Accept-Language (docs/api.md, "Answers API Gateway gives itself").
      if (spec.answersUnknownAddresses) {
        const method = this.api.root.resourceForPath(UNKNOWN_ADDRESS_RESOURCE).addMethod('ANY', integration, {
          operationName: `${spec.id}UnknownAddress`,
          requestParameters: { 'method.request.path.proxy': true },
          requestValidator: parameterValidator,
        });
        methods.push({ method, path: UNKNOWN_ADDRESS_RESOURCE });
      }
    }
    for (const { method, path } of methods) acknowledgeAuthorisation(method, path);
  }

  /**
   * Per-client limits: AWS WAF with rate-based rules per IP, on by default (an operator may turn it
   * off: it costs a monthly fee). Answers the web ACL's names for the alarms, when it is on.
   */
  addFirewall(config: DeploymentConfig): ApiFirewall | undefined {
    let waf: ApiFirewall | undefined;
    if (config.waf.enabled) {
      waf = apiFirewall(this.stack, this.api.deploymentStage, config.waf);
    } else {
      Validations.of(this.api.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: `WAF is switched off in this deployment's configuration (waf.enabled: false), an operator's cost choice. Without it there is no per-client limit: stage throttling (${config.api.rateLimitPerSecond} requests/s, burst ${config.api.burstLimit}; filing ${config.api.intakeRateLimitPerSecond}/s) caps all clients together, and the handlers' own rules (duplicates, bans, idempotency) limit repeated filings. Set waf.enabled to add the per-IP rate-based rule.`,
      });
    }
    Validations.of(this.api.node.findChild('CloudWatchRole')).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level role API Gateway assumes to write execution and access logs; AWS documents this managed policy for it, and the role is only assumable by apigateway.amazonaws.com.',
    });
    return waf;
  }
}

function stageOptions(config: DeploymentConfig, accessLogs: logs.LogGroup): apigw.StageOptions {
  return {
    stageName: API_STAGE,
    accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
    accessLogFormat: accessLogFormat(),
    tracingEnabled: true,
    metricsEnabled: true,
    // Errors only, and never bodies (dataTrace): complaints carry personal data.
    loggingLevel: apigw.MethodLoggingLevel.ERROR,
    dataTraceEnabled: false,
    // All clients together; the per-client limit is WAF's rate-based rule (config waf).
    throttlingRateLimit: config.api.rateLimitPerSecond,
    throttlingBurstLimit: config.api.burstLimit,
    // Filing is the costly route (a transaction, a workflow, emails): a lower limit of its own.
    // A method setting replaces the stage's for that method, so it repeats logging and metrics.
    methodOptions: {
      '/complaints/POST': {
        throttlingRateLimit: config.api.intakeRateLimitPerSecond,
        throttlingBurstLimit: Math.min(config.api.burstLimit, config.api.intakeRateLimitPerSecond * 2),
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
      },
    },
  };
}

function accessLogFormat(): apigw.AccessLogFormat {
  const field = apigw.AccessLogField;
  // JSON with the standard fields plus latency and errors. $context.resourcePath is the route
  // template (/tasks/{linkId}), so capability ids never reach the access logs.
  return apigw.AccessLogFormat.custom(
    JSON.stringify({
      requestId: field.contextRequestId(),
      ip: field.contextIdentitySourceIp(),
      caller: field.contextIdentityCaller(),
      user: field.contextIdentityUser(),
      requestTime: field.contextRequestTime(),
      httpMethod: field.contextHttpMethod(),
      resourcePath: field.contextResourcePath(),
      status: field.contextStatus(),
      protocol: field.contextProtocol(),
      responseLength: field.contextResponseLength(),
      responseLatency: field.contextResponseLatency(),
      integrationStatus: field.contextIntegrationStatus(),
      integrationLatency: field.contextIntegrationLatency(),
      errorMessage: field.contextErrorMessage(),
      userAgent: field.contextIdentityUserAgent(),
      xrayTraceId: field.contextXrayTraceId(),
    }),
  );
}

/**
 * What API Gateway answers itself speaks the handlers' language: problem+json, in both languages
 * at once. Never HTML: a gateway template cannot read Accept-Language, and a browser's list-valued
 * Accept would not choose it (docs/api.md); an unknown address goes to the catch-all instead.
 */
function addGatewayResponses(api: apigw.RestApi): void {
  api.addGatewayResponse('BadRequestBody', {
    type: apigw.ResponseType.BAD_REQUEST_BODY,
    statusCode: '400',
    responseHeaders: { 'Content-Type': "'application/problem+json'" },
    templates: {
      'application/json': JSON.stringify({
        type: 'urn:redress:problem:validation-failed',
        title: '提交的内容有误 / The request has invalid fields',
        status: 400,
        errors: [{ path: '(body)', message: '请求体应为 JSON 对象 / the body must be a JSON object' }],
      }),
    },
  });
  // The same problem the local gateway answers for a body over API Gateway's 10 MB.
  api.addGatewayResponse('RequestTooLarge', {
    type: apigw.ResponseType.REQUEST_TOO_LARGE,
    statusCode: '413',
    responseHeaders: { 'Content-Type': "'application/problem+json'" },
    templates: {
      'application/json': JSON.stringify({
        type: 'urn:redress:problem:payload-too-large',
        title: '请求体过大 / Request body too large',
        status: 413,
      }),
    },
  });
  for (const [id, type, title] of [
    ['Default4xx', apigw.ResponseType.DEFAULT_4XX, '请求无法处理 / The request could not be handled'],
    [
      'Default5xx',
      apigw.ResponseType.DEFAULT_5XX,
      '服务暂时不可用，请稍后重试 / The service is unavailable; please try again later',
    ],
  ] as const) {
    api.addGatewayResponse(id, {
      type,
      responseHeaders: { 'Content-Type': "'application/problem+json'" },
      // messageString comes quoted; the HTTP status is the gateway's own (no context variable).
      templates: {
        'application/json': `{"type":"urn:redress:problem:gateway","title":"${title}","detail":$context.error.messageString,"errorType":"$context.error.responseType"}`,
      },
    });
  }
  // Overload is never a 500: a throttled client, a function that could not run (Lambda throttled
  // or failed) or a timeout gets 429/503 with Retry-After, as the handlers answer a busy dependency.
  const busy = '服务繁忙，请稍后重试 / The service is busy; please retry shortly';
  for (const [id, type, statusCode, retryAfter, title] of [
    [
      'Throttled',
      apigw.ResponseType.THROTTLED,
      '429',
      '1',
      '请求过于频繁，请稍后重试 / Too many requests; please retry shortly',
    ],
    ['IntegrationFailure', apigw.ResponseType.INTEGRATION_FAILURE, '503', '2', busy],
    ['IntegrationTimeout', apigw.ResponseType.INTEGRATION_TIMEOUT, '503', '2', busy],
  ] as const) {
    api.addGatewayResponse(id, {
      type,
      statusCode,
      responseHeaders: { 'Content-Type': "'application/problem+json'", 'Retry-After': `'${retryAfter}'` },
      templates: {
        'application/json': `{"type":"urn:redress:problem:service-unavailable","title":"${title}","status":${statusCode}}`,
      },
    });
  }
}

/** Route by route, what stands in for an API Gateway authorizer. */
function acknowledgeAuthorisation(method: apigw.Method, path: string): void {
  const apig4 =
    path === UNKNOWN_ADDRESS_RESOURCE
      ? 'Public by design: the catch-all for any address no route has answers only "not found" (a page or problem+json); it reads and writes nothing.'
      : path === '/staff' || path === '/staff/sign-in' || path === '/staff/sign-in/{linkId}'
        ? 'Staff sign-in, public by design: the page, a request that answers the same for any address (rate-limited per address and per client) and mails a link only to a configured staff address, and that link (a random id of 128 bits, stored hashed, single use, 15 minutes; a POST with its nonce signs in).'
        : path.startsWith('/staff')
          ? 'Not public: every staff route checks a server-side staff session in the handler (an HttpOnly, SameSite=Strict cookie holding a random secret, stored hashed, 12 hours, revoked at sign-out and refused once its address leaves the config), answers 401 or redirects to sign-in without one, and state-changing posts need the session nonce. The same check runs on the laptop, which has no authorizer.'
          : 'Public by design: anyone may file a complaint; tracking and task routes are capability URLs (a random id of at least 128 bits, stored hashed, checked by the handler), and task decisions need a per-page nonce.';
  Validations.of(method).acknowledge(
    { id: 'AwsSolutions-APIG4', reason: apig4 },
    {
      id: 'AwsSolutions-COG4',
      reason: path.startsWith('/staff')
        ? 'No Cognito user pool: staff are the addresses of the desk config and sign in by an emailed single-use link to a server-side session (see APIG4); an operator may put the organisation identity provider in front (Cognito with SAML/OIDC federation).'
        : 'No Cognito user pool: complainants are anonymous and staff act through emailed capability links (see APIG4); the handlers authorise each link.',
    },
  );
}
