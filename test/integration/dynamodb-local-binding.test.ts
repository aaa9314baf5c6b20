import net from 'node:net';
import os from 'node:os';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDynamoDb } from '../../infra/local/dynamodb-local';
import { freePort } from '../../infra/local/prerequisites';
import { stack } from '../support/stack-client';

/**
 * DynamoDB Local's own command line listens on every interface, so anyone on the network could
 * read and write the local table. The local stack starts it bound to 127.0.0.1 alone: it answers
 * there, and a connection to this machine's own network address is refused.
 */

/** This machine's first non-loopback IPv4 address, if it has one. */
const networkAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
const NO_NETWORK_ADDRESS =
  'this machine has no non-loopback IPv4 address, so there is no other interface to refuse a connection on';

/** Whether a TCP connection opens: 'connected', or the error code it failed with. */
function connectTo(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    // Only against a hang (a firewall that drops instead of refusing): never reached on a refusal.
    socket.setTimeout(20_000, () => {
      socket.destroy();
      resolve('ETIMEDOUT');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error.code ?? error.message);
    });
  });
}

async function tablesAt(endpoint: string): Promise<string[]> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    client.destroy();
  }
}

describe('DynamoDB Local listens on loopback only', () => {
  const own = new LocalDynamoDb();
  afterAll(() => own.stop());

  it('answers on 127.0.0.1 and refuses a connection on this machine’s network address (a DynamoDB Local of its own, in memory)', async (context) => {
    const port = await freePort();
    const url = await own.start({ port });
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(await tablesAt(url)).toEqual([]);
    if (!networkAddress) return context.skip(NO_NETWORK_ADDRESS);
    expect(await connectTo(networkAddress, port), `${networkAddress}:${port}`).toBe('ECONNREFUSED');
    // Refused by the socket, not by something in between: loopback still answers.
    expect(await connectTo('127.0.0.1', port)).toBe('connected');
  });

  it('holds the local stack’s own DynamoDB Local to 127.0.0.1 too', async (context) => {
    const url = new URL(stack().dynamodb);
    expect(url.hostname).toBe('127.0.0.1');
    expect(await tablesAt(url.origin)).toContain('Complaints');
    if (!networkAddress) return context.skip(NO_NETWORK_ADDRESS);
    expect(await connectTo(networkAddress, Number(url.port)), `${networkAddress}:${url.port}`).toBe('ECONNREFUSED');
  });
});
