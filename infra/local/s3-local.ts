import { mkdirSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
// @ts-expect-error -- the package ships no types
import S3rver from '@20minutes/s3rver';

export interface S3EventRecord {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size: number } };
}

/**
 * S3 on one machine (@20minutes/s3rver, in process). It does not enforce POST policies: the
 * evidence handler re-checks every object, on AWS too. Its event emitter stands in for S3 event
 * notifications.
 */
export class LocalS3 {
  private instance?: {
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    httpServer?: Server;
    store: {
      getResourcePath(bucket: string, key: string, resource: string): string;
      deleteObject(bucket: string, key: string): Promise<void>;
    };
    on(event: string, cb: (e: { Records: S3EventRecord[] }) => void): void;
  };

  async start(options: {
    port: number;
    dataDir: string;
    bucket: string;
    allowedOrigins: string[];
    onEvent?: (records: S3EventRecord[]) => void;
    /** Key pairs it accepts besides its own: the stack's, a test's. */
    credentials?: { accessKeyId: string; secretAccessKey: string }[];
  }): Promise<string> {
    mkdirSync(options.dataDir, { recursive: true });
    // s3rver knows one key pair (S3RVER); the handlers sign with the local stack's own, so
    // HeadObject, GetObject and presigned GETs must be accepted with it too.
    if (options.credentials) {
      const account = createRequire(import.meta.url)('@20minutes/s3rver/lib/models/account.js') as {
        DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
      };
      for (const { accessKeyId, secretAccessKey } of options.credentials)
        account.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
    }
    const origins = options.allowedOrigins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join('');
    const cors = `<CORSConfiguration><CORSRule>${origins}<AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
    this.instance = new S3rver({
      port: options.port,
      address: '127.0.0.1',
      silent: true,
      directory: options.dataDir,
      allowMismatchedSignatures: true,
      configureBuckets: [{ name: options.bucket, configs: [cors] }],
    });
    // s3rver's delete then removes the key's directory if it looks empty, by a recursive rm that
    // runs after the look: a file written there meanwhile (another upload under the same
    // complaint) goes with it, though its POST was answered and its event sent. S3 has no
    // directories: here the empty ones stay, and a delete removes the key's own files only.
    const store = this.instance!.store;
    store.deleteObject = async (bucket, key) => {
      await Promise.all(
        ['object', 'object.md5', 'metadata.json'].map((resource) =>
          fs.unlink(store.getResourcePath(bucket, key, resource)).catch((error: NodeJS.ErrnoException) => {
            if (error.code !== 'ENOENT') throw error;
          }),
        ),
      );
    };
    if (options.onEvent) this.instance!.on('event', (event) => options.onEvent!(event.Records));
    const address = await this.instance!.run();
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    this.instance?.httpServer?.closeAllConnections();
    await this.instance?.close().catch(() => undefined);
  }
}
