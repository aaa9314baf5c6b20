import http from 'node:http';
import { listenOnLoopback } from './http-proxy';

/**
 * The DynamoDB capacity one run of the local stack consumed, as AWS would bill it on demand:
 * write and read units of the table and each index, transactions counted double, as DynamoDB
 * Local reports them. Only with REDRESS_METER=1: the handlers then reach DynamoDB Local through
 * this proxy, which asks every request for its consumed capacity (`ReturnConsumedCapacity:
 * INDEXES`) and adds it up. The stack's meter (`GET <stepfunctions url>/local/meter`) reports
 * the totals since the start; the bench diffs two readings. A write refused by its condition is
 * billed by AWS too but not counted here (DynamoDB Local reports no capacity with the error).
 */
export interface CapacityReading {
  writeUnits: number;
  readUnits: number;
  writeRequests: number;
  readRequests: number;
  writeUnitsByIndex: Record<string, number>;
  /** Write units by what was written: the operation and the kinds of item (sort-key prefixes), e.g. `TransactWriteItems META+EVENT+OUTBOX`. */
  writeUnitsByWrite: Record<string, number>;
  /**
   * Write units by the partition key written (hot keys). A batch or a transaction reports its
   * units for the table only: they are shared among its items in proportion to each item's size
   * (an update or delete counts as 1 KB). A write refused by its condition counts 1 unit here (AWS
   * bills it; DynamoDB Local reports nothing), and in no total above.
   */
  writeUnitsByPartitionKey: Record<string, number>;
  /** Read requests by what was read: the operation and the kind of item or the index queried, e.g. `Query byTeam`. */
  readRequestsByRead: Record<string, number>;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

type Capacity = {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
};

export class CapacityMeter {
  private readonly dynamodb: CapacityReading = {
    writeUnits: 0,
    readUnits: 0,
    writeRequests: 0,
    readRequests: 0,
    writeUnitsByIndex: {},
    writeUnitsByWrite: {},
    writeUnitsByPartitionKey: {},
    readRequestsByRead: {},
  };

  reading(): CapacityReading {
    return structuredClone(this.dynamodb);
  }

  /** Shares `units` among the partition keys written, in proportion to their weights. */
  countByKey(writes: { pk: string; weight: number }[], units: number): void {
    const total = writes.reduce((s, w) => s + w.weight, 0);
    if (!total) return;
    const byKey = this.dynamodb.writeUnitsByPartitionKey;
    for (const w of writes) byKey[w.pk] = (byKey[w.pk] ?? 0) + (units * w.weight) / total;
  }

  /** Adds one response's ConsumedCapacity (an object, or a list for batch and transaction calls). */
  count(operation: string, consumed: Capacity | Capacity[] | undefined, what = ''): void {
    const write = WRITES.has(operation);
    if (!write && !READS.has(operation)) return;
    if (write) this.dynamodb.writeRequests++;
    else {
      this.dynamodb.readRequests++;
      const byRead = this.dynamodb.readRequestsByRead;
      const key = `${operation} ${what}`.trim();
      byRead[key] = (byRead[key] ?? 0) + 1;
    }
    for (const capacity of [consumed ?? []].flat()) {
      const units = capacity.CapacityUnits ?? 0;
      if (write) {
        this.dynamodb.writeUnits += units;
        const byIndex = this.dynamodb.writeUnitsByIndex;
        byIndex.table = (byIndex.table ?? 0) + (capacity.Table?.CapacityUnits ?? units);
        for (const [name, index] of Object.entries(capacity.GlobalSecondaryIndexes ?? {}))
          byIndex[name] = (byIndex[name] ?? 0) + (index.CapacityUnits ?? 0);
        const byWrite = this.dynamodb.writeUnitsByWrite;
        const key = `${operation} ${what}`.trim();
        byWrite[key] = (byWrite[key] ?? 0) + units;
      } else this.dynamodb.readUnits += units;
    }
  }
}

/** What a read reads: the index a query uses, or the kinds of item (as for writes) of the keys it gets. */
function kindsRead(operation: string, request: Record<string, any>): string {
  if (operation === 'Query' || operation === 'Scan') {
    const pk = Object.values((request.ExpressionAttributeValues ?? {}) as Record<string, { S?: string }>)[0]?.S ?? '';
    return request.IndexName ?? `${/^[A-Z]+/.exec(pk)?.[0] ?? ''}`;
  }
  if (operation === 'GetItem') return kindsWritten({ ...request, Key: request.Key });
  return '';
}

/** The kinds of item a write touches (each key's sort-key prefix, or its partition prefix for a META item), joined with `+`. */
function kindsWritten(request: Record<string, any>): string {
  const kindOf = (key: Record<string, { S?: string }> | undefined) => {
    const sk = key?.sk?.S ?? '';
    return sk === 'META' ? `${/^[A-Z]+/.exec(key?.pk?.S ?? '')?.[0] ?? ''}` : (/^[A-Z]+/.exec(sk)?.[0] ?? sk);
  };
  const items: Record<string, any>[] = request.TransactItems ?? [request];
  return items
    .map((item) => kindOf((item.Put ?? item).Item ?? (item.Update ?? item.Delete ?? item.ConditionCheck ?? item).Key))
    .join('+');
}

type Wire = Record<string, any>;

/** An item's size as DynamoDB counts it (attribute names and values, DynamoDB JSON), in bytes. */
export function itemSize(item: Record<string, Wire>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: Wire): number {
  if ('S' in value) return Buffer.byteLength(value.S);
  if ('N' in value) return Math.ceil(String(value.N).replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if ('B' in value) return typeof value.B === 'string' ? Buffer.from(value.B, 'base64').length : value.B.length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((s: number, v: string) => s + Buffer.byteLength(v), 0);
  if ('NS' in value) return value.NS.reduce((s: number, v: string) => s + valueSize({ N: v }), 0);
  if ('BS' in value) return value.BS.reduce((s: number, v: string) => s + valueSize({ B: v }), 0);
  if ('L' in value) return 3 + value.L.reduce((s: number, v: Wire) => s + 1 + valueSize(v), 0);
  if ('M' in value) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  return 0;
}

/** The partition keys a write touches, each weighed by the kilobytes it writes (an update or delete as one). */
function partitionKeysWritten(operation: string, request: Record<string, any>): { pk: string; weight: number }[] {
  const weigh = (entry: Record<string, any>) => {
    const put = entry.Put?.Item ?? entry.PutRequest?.Item ?? (operation === 'PutItem' ? entry.Item : undefined);
    const key = put ?? (entry.Update ?? entry.Delete ?? entry.ConditionCheck ?? entry.DeleteRequest ?? entry).Key;
    const pk = key?.pk?.S as string | undefined;
    return pk ? [{ pk, weight: put ? Math.max(1, Math.ceil(itemSize(put) / 1024)) : 1 }] : [];
  };
  if (operation === 'TransactWriteItems') return (request.TransactItems ?? []).flatMap(weigh);
  if (operation === 'BatchWriteItem')
    return Object.values((request.RequestItems ?? {}) as Record<string, Record<string, any>[]>)
      .flat()
      .flatMap(weigh);
  return weigh(request);
}

/** Starts the metering proxy in front of DynamoDB Local; its URL is the handlers' DynamoDB endpoint. */
export async function startCapacityMeterProxy(
  target: string,
  meter: CapacityMeter,
): Promise<{ url: string; close: () => Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const operation = String(req.headers['x-amz-target'] ?? '').replace(/^DynamoDB_\d+\./, '');
    let body = Buffer.concat(chunks);
    const metered = WRITES.has(operation) || READS.has(operation);
    let what = '';
    let keys: { pk: string; weight: number }[] = [];
    if (metered) {
      const parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      parsed.ReturnConsumedCapacity = 'INDEXES';
      body = Buffer.from(JSON.stringify(parsed));
      if (READS.has(operation)) what = kindsRead(operation, parsed);
      if (WRITES.has(operation)) {
        what = kindsWritten(parsed);
        keys = partitionKeysWritten(operation, parsed);
      }
    }
    // The request is re-serialised, so its signature no longer matches; DynamoDB Local does not check it.
    const headers = { ...req.headers, 'content-length': String(body.length) };
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers, agent },
      async (response) => {
        const out: Buffer[] = [];
        for await (const chunk of response) out.push(chunk as Buffer);
        const text = Buffer.concat(out);
        if (metered && response.statusCode === 200) {
          try {
            const consumed = (JSON.parse(text.toString('utf8')) as { ConsumedCapacity?: Capacity | Capacity[] })
              .ConsumedCapacity;
            meter.count(operation, consumed, what);
            const units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
            meter.countByKey(keys, units);
          } catch {
            // not JSON: nothing to count
          }
        } else if (keys.length === 1 && /ConditionalCheckFailed/.test(text.toString('utf8'))) {
          // Refused by its condition: AWS bills a unit for the item all the same.
          meter.countByKey(keys, 1);
        }
        const { 'content-length': _length, 'transfer-encoding': _chunked, ...rest } = response.headers;
        res.writeHead(response.statusCode ?? 502, { ...rest, 'content-length': String(text.length) });
        res.end(text);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    upstream.end(body);
  });
  return listenOnLoopback(server, agent);
}
