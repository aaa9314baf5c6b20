import { Duration, type Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { RedressFunction } from './redress-function';

/*
 * What runs a catalog function besides its routes: the table's stream, EventBridge rules and
 * schedules. Rules are created in the stack's own scope and event sources under the function, as
 * they were when the stack built them inline, so their logical IDs stay as deployed.
 */

/** Retried for six hours, then parked in the function's dead-letter queue (which alarms). */
const retriedTarget = (fn: RedressFunction) =>
  new targets.LambdaFunction(fn.function, {
    retryAttempts: 8,
    maxEventAge: Duration.hours(6),
    deadLetterQueue: fn.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) }),
  });

/** The stream source's one unscoped action, acknowledged on the function's role. */
export function acknowledgeStreamListing(fn: RedressFunction): void {
  Validations.of(fn.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'The DynamoDB stream event source needs dynamodb:ListStreams, which has no resource-level permissions; the stream read actions themselves are scoped to the complaints table stream. (X-Ray writes also use *.)',
  });
}

/** Records DynamoDB's TTL removed: only deletions by the service, a record removed by a person is not an expiry. */
export function onRecordExpired(fn: RedressFunction, table: dynamodb.TableV2): void {
  fn.function.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 10,
      retryAttempts: 10,
      bisectBatchOnError: true,
      onFailure: new SqsDlq(fn.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) })),
      filters: [
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.isEqual('REMOVE'),
          userIdentity: {
            type: lambda.FilterRule.isEqual('Service'),
            principalId: lambda.FilterRule.isEqual('dynamodb.amazonaws.com'),
          },
        }),
      ],
    }),
  );
  acknowledgeStreamListing(fn);
}

/**
 * Every upload is checked again when it lands: the presigned POST's policy is not the guard.
 * Through EventBridge, not a bucket notification: that needs a custom resource (with an AWS
 * managed policy) to break the bucket ↔ function reference cycle.
 */
export function onEvidenceUploaded(stack: Stack, fn: RedressFunction, evidenceBucket: s3.Bucket): void {
  const id = fn.node.id;
  new events.Rule(stack, `${id}OnEvidenceUploaded`, {
    description: `Runs ${id} when an object lands under complaints/ in the evidence bucket`,
    eventPattern: {
      source: ['aws.s3'],
      detailType: ['Object Created'],
      detail: {
        bucket: { name: [evidenceBucket.bucketName] },
        object: { key: events.Match.prefix('complaints/') },
      },
    },
    targets: [retriedTarget(fn)],
  });
}

export function onSchedule(stack: Stack, fn: RedressFunction, everyMinutes: number): void {
  const id = fn.node.id;
  new events.Rule(stack, `${id}Schedule`, {
    description: `Runs ${id} every ${everyMinutes} minute(s)`,
    schedule: events.Schedule.rate(Duration.minutes(everyMinutes)),
    // A failed run is superseded by the next one: no Lambda retries, but a run that fails
    // for good still leaves its event in the dead-letter queue (and trips its alarm).
    targets: [
      new targets.LambdaFunction(fn.function, {
        retryAttempts: 2,
        maxEventAge: Duration.minutes(everyMinutes * 5),
        deadLetterQueue: fn.asyncDeadLetters({ retryAttempts: 0, maxEventAge: Duration.minutes(everyMinutes * 5) }),
      }),
    ],
  });
}

/** SES bounce and complaint events of Redress's configuration set, from the default event bus. */
export function onMailEvent(stack: Stack, fn: RedressFunction, configurationSetName: string): void {
  const id = fn.node.id;
  new events.Rule(stack, `${id}OnMailEvent`, {
    description: `Runs ${id} on SES bounce and complaint events of Redress's configuration set`,
    eventPattern: {
      source: ['aws.ses'],
      detail: {
        eventType: ['Bounce', 'Complaint'],
        mail: { tags: { 'ses:configuration-set': [configurationSetName] } },
      },
    },
    targets: [retriedTarget(fn)],
  });
}

/**
 * No case stops silently: an execution that ends (failed, timed out, stopped) while its case is
 * open makes the case due for the stalled-case sweep at once. Step Functions sends these events to
 * the default bus for every Standard workflow.
 */
export function onExecutionEnded(stack: Stack, fn: RedressFunction, stateMachineArn: string): void {
  const id = fn.node.id;
  new events.Rule(stack, `${id}OnExecutionEnded`, {
    description: `Runs ${id} when an execution of the complaint-handling workflow fails, times out or is stopped`,
    eventPattern: {
      source: ['aws.states'],
      detailType: ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [stateMachineArn] },
    },
    targets: [retriedTarget(fn)],
  });
}
