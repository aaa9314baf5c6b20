import { Duration, type Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type { DeskConfig } from '../../functions/domain/config';
import type { RedressFunction } from './redress-function';
import { acknowledgeStreamListing } from './triggers';

/*
 * The desk's figures: the table's stream into the aggregates, and the weekly report's schedule.
 * The schedule and its role are created in the stack's own scope and the stream source under the
 * function, as they were when the stack built them inline, so their logical IDs stay as deployed.
 */

/**
 * Every history event added, in order per case (one batch at a time per shard), retried from the
 * record that failed (ReportBatchItemFailures), and parked in a dead-letter queue after its
 * retries; a batch is stored under its first record, so a retry counts nothing twice. A table of a
 * year at a million complaints a day has hundreds of shards, each a trickle: batches wait up to 5
 * minutes to fill (the figures are rolled up every few minutes anyway), so each stored batch holds
 * many events.
 */
export function onTableChange(fn: RedressFunction, table: dynamodb.TableV2): void {
  fn.function.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 1000,
      maxBatchingWindow: Duration.seconds(300),
      retryAttempts: 10,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(fn.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) })),
      filters: [
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.isEqual('INSERT'),
          dynamodb: {
            Keys: {
              pk: { S: lambda.FilterRule.beginsWith('COMPLAINT#') },
              sk: { S: lambda.FilterRule.beginsWith('EVENT#') },
            },
          },
        }),
      ],
    }),
  );
  acknowledgeStreamListing(fn);
}

/**
 * The weekly report: desk.reports.weekly, on the desk's own clock (EventBridge Scheduler keeps the
 * time zone, daylight saving included).
 */
export function onWeeklyReport(stack: Stack, fn: RedressFunction, desk: DeskConfig): void {
  const id = fn.node.id;
  const weekly = desk.reports.weekly;
  const [hour, minute] = weekly.time.split(':');
  const scheduleRole = new iam.Role(stack, `${id}ScheduleRole`, {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
    description: `EventBridge Scheduler invokes ${id}`,
  });
  const functionLogicalId = stack.getLogicalId(fn.function.node.defaultChild as lambda.CfnFunction);
  Validations.of(scheduleRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
    reason:
      "Lambda's grantInvoke names the function and its versions (`<arn>:*`); the role may invoke this one function and nothing else.",
  });
  new scheduler.Schedule(stack, `${id}Schedule`, {
    description: `Runs ${id} every ${weekly.day} at ${weekly.time} (${desk.timeZone})`,
    schedule: scheduler.ScheduleExpression.cron({
      minute: String(Number(minute)),
      hour: String(Number(hour)),
      weekDay: weekly.day.slice(0, 3).toUpperCase(),
      timeZone: TimeZone.of(desk.timeZone),
    }),
    target: new schedulerTargets.LambdaInvoke(fn.function, {
      role: scheduleRole,
      input: scheduler.ScheduleTargetInput.fromObject({ source: 'redress.weekly-report' }),
      retryAttempts: 2,
      maxEventAge: Duration.hours(2),
      deadLetterQueue: fn.asyncDeadLetters({ retryAttempts: 0, maxEventAge: Duration.hours(2) }),
    }),
  });
}
