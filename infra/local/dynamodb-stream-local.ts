import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';

/**
 * Reads DynamoDB Local's table stream the way a Lambda event source mapping reads DynamoDB
 * Streams: every shard in order, in batches of at most `batchSize` records (by default 1,000, as
 * many as GetRecords gives), each batch handed to the function as a DynamoDBStreamEvent and
 * retried (with backoff) until the function takes it.
 * A function that answers `batchItemFailures` (ReportBatchItemFailures) gets the batch again from
 * the first failed record. Where each shard was read to is kept in `positionsFile`, so a restart
 * resumes there instead of replaying or skipping records. Records that arrive within `batchWindowMs`
 * of a batch's first go with it (the mapping's MaximumBatchingWindowInSeconds), so a function
 * reading the case behind each record reads it once for a burst of its changes, not once per change.
 */
export interface LocalStreamOptions {
  endpoint: string;
  tableName: string;
  region: string;
  /** The key the table's database answers to (a shared DynamoDB Local keeps one per key). */
  accessKeyId?: string;
  positionsFile: string;
  deliver: (event: DynamoDBStreamEvent) => Promise<unknown>;
  batchSize?: number;
  pollMs?: number;
  /** How long a batch waits for more records after its first (ms; 0: delivered as read). */
  batchWindowMs?: number;
  /** A batch that keeps failing is retried this many times, then skipped (the mapping's retryAttempts; the cloud parks it in a dead-letter queue). */
  retryAttempts?: number;
}

type Shard = { id: string; iterator?: string; closed: boolean };

export class LocalDynamoDbStream {
  private readonly streams: DynamoDBStreamsClient;
  private readonly dynamo: DynamoDBClient;
  private readonly shards = new Map<string, Shard>();
  private positions: Record<string, string> = {};
  private streamArn?: string;
  private running = false;
  private loop?: Promise<void>;
  private lastDescribe = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: LocalStreamOptions) {
    const config = {
      endpoint: options.endpoint,
      region: options.region,
      credentials: { accessKeyId: options.accessKeyId ?? 'local', secretAccessKey: 'local' },
    };
    this.streams = new DynamoDBStreamsClient(config);
    this.dynamo = new DynamoDBClient(config);
  }

  async start(): Promise<void> {
    const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: this.options.tableName }));
    if (!Table?.LatestStreamArn) throw new Error(`table ${this.options.tableName} has no stream`);
    this.streamArn = Table.LatestStreamArn;
    if (existsSync(this.options.positionsFile)) {
      try {
        const saved = JSON.parse(readFileSync(this.options.positionsFile, 'utf8')) as {
          streamArn?: string;
          positions?: Record<string, string>;
        };
        // A new stream (the table's stream was switched off and on) starts from its beginning.
        if (saved.streamArn === this.streamArn) this.positions = saved.positions ?? {};
      } catch {
        this.positions = {};
      }
    }
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop?.catch(() => undefined);
    this.streams.destroy();
    this.dynamo.destroy();
  }

  /** Resolves once every record written so far has been delivered (tests and the bench wait on it). */
  async drained(): Promise<void> {
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private async describe(): Promise<void> {
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of StreamDescription?.Shards ?? [])
        if (shard.ShardId && !this.shards.has(shard.ShardId))
          this.shards.set(shard.ShardId, { id: shard.ShardId, closed: false });
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    this.lastDescribe = Date.now();
  }

  private async iteratorOf(shard: Shard): Promise<string | undefined> {
    const after = this.positions[shard.id];
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shard.id,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  private async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 250;
    while (this.running) {
      let delivered = 0;
      try {
        if (Date.now() - this.lastDescribe > 5000 || !this.shards.size) await this.describe();
        for (const shard of this.shards.values()) {
          if (shard.closed || !this.running) continue;
          delivered += await this.readShard(shard);
        }
      } catch (error) {
        console.error(
          JSON.stringify({ level: 'ERROR', message: 'local stream poller failed; trying again', error: String(error) }),
        );
      }
      if (!delivered) {
        for (const resolve of this.idleWaiters.splice(0)) resolve();
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async readShard(shard: Shard): Promise<number> {
    shard.iterator ??= await this.iteratorOf(shard);
    if (!shard.iterator) {
      shard.closed = true;
      return 0;
    }
    let page;
    try {
      page = await this.streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: this.options.batchSize ?? 1000 }),
      );
    } catch (error) {
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        shard.iterator = undefined;
        return 0;
      }
      throw error;
    }
    const limit = this.options.batchSize ?? 1000;
    const records = page.Records ?? [];
    let next = page.NextShardIterator;
    if (records.length && records.length < limit && this.options.batchWindowMs) {
      await new Promise((resolve) => setTimeout(resolve, this.options.batchWindowMs));
      while (next && records.length < limit && this.running) {
        const more = await this.streams.send(
          new GetRecordsCommand({ ShardIterator: next, Limit: limit - records.length }),
        );
        next = more.NextShardIterator;
        if (!more.Records?.length) break;
        records.push(...more.Records);
      }
    }
    if (records.length) await this.deliver(shard, records);
    if (!next) shard.closed = true;
    shard.iterator = next;
    return records.length;
  }

  private async deliver(shard: Shard, records: _Record[]): Promise<void> {
    let batch = records.map((r) => this.lambdaRecord(r));
    const attempts = this.options.retryAttempts ?? 10;
    for (let attempt = 0; batch.length; attempt++) {
      let failedAt: string | undefined;
      try {
        const answer = (await this.options.deliver({ Records: batch })) as {
          batchItemFailures?: { itemIdentifier: string }[];
        } | null;
        failedAt = answer?.batchItemFailures?.[0]?.itemIdentifier;
      } catch (error) {
        failedAt = batch[0]!.dynamodb!.SequenceNumber;
        console.error(
          JSON.stringify({
            level: 'ERROR',
            message: 'stream batch failed; retrying it',
            attempt,
            error: String(error),
          }),
        );
      }
      const from = failedAt === undefined ? -1 : batch.findIndex((r) => r.dynamodb?.SequenceNumber === failedAt);
      const done = from === -1 ? batch : batch.slice(0, from);
      const last = done[done.length - 1]?.dynamodb?.SequenceNumber;
      if (last) this.save(shard.id, last);
      batch = from === -1 ? [] : batch.slice(from);
      if (batch.length && attempt >= attempts) {
        console.error(
          JSON.stringify({ level: 'ERROR', message: 'stream batch skipped after its retries', records: batch.length }),
        );
        this.save(shard.id, batch[batch.length - 1]!.dynamodb!.SequenceNumber!);
        return;
      }
      if (batch.length) await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
    }
  }

  private lambdaRecord(record: _Record): DynamoDBStreamEvent['Records'][number] {
    const { ApproximateCreationDateTime, ...dynamodb } = record.dynamodb ?? {};
    return {
      eventID: record.eventID,
      eventName: record.eventName as 'INSERT' | 'MODIFY' | 'REMOVE',
      eventVersion: record.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.options.region,
      eventSourceARN: this.streamArn,
      dynamodb: {
        ...(dynamodb as NonNullable<DynamoDBStreamEvent['Records'][number]['dynamodb']>),
        ...(ApproximateCreationDateTime
          ? { ApproximateCreationDateTime: Math.floor(new Date(ApproximateCreationDateTime).getTime() / 1000) }
          : {}),
      },
      ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
    };
  }

  private save(shardId: string, sequenceNumber: string): void {
    this.positions[shardId] = sequenceNumber;
    writeFileSync(this.options.positionsFile, JSON.stringify({ streamArn: this.streamArn, positions: this.positions }));
  }
}
