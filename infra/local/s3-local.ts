import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
// @ts-expect-error -- the package ships no types
import S3rver from '@20minutes/s3rver';

export interface S3EventRecord {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size: number } };
}

/** What of s3rver's file store this stand-in changes (lib/stores/filesystem.js). */
interface StoredObject {
  bucket: string;
  key: string;
  metadata: Record<string, string>;
  content: Buffer | NodeJS.ReadableStream;
}
interface ObjectStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  deleteObject(bucket: string, key: string): Promise<void>;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
  getObject(bucket: string, key: string, options?: unknown): Promise<unknown>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
  putContent(objectPath: string, content: StoredObject['content']): Promise<[number, string]>;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
}

/**
 * Runs `work` after every earlier piece of work on the same key has ended: what S3 gives, that a
 * read sees one whole object, the old or the new, never a mix.
 */
function oneAtATime(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const last = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const run = (last.get(key) ?? Promise.resolve()).then(work);
    const ended = run.catch(() => undefined);
    last.set(key, ended);
    void ended.then(() => last.get(key) === ended && last.delete(key));
    return run;
  };
}

/**
 * S3's atomic writes on s3rver's file store. s3rver writes an object's bytes over the file a read
 * may be streaming, then its metadata: a GET meanwhile got the old length and the new bytes, cut
 * short (its client saw "aborted") or mixed. Here the bytes land in a file of their own, which
 * takes the object's name (rename) together with its metadata, and a read takes the metadata and
 * opens the bytes in between two such changes: once open, its file is not written again.
 */
function writeObjectsWhole(store: ObjectStore): void {
  const byKey = oneAtATime();
  const { getMetadata, getObject } = store;
  // The original GET reads the metadata through `this`: in here, without waiting for the key again.
  const inside = Object.assign(Object.create(store) as ObjectStore, { getMetadata });
  store.getMetadata = (bucket, key) => byKey(`${bucket}/${key}`, () => getMetadata.call(store, bucket, key));
  store.getObject = (bucket, key, options) =>
    byKey(`${bucket}/${key}`, () => getObject.call(inside, bucket, key, options));
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await fs.mkdir(path.dirname(objectPath), { recursive: true });
    const landing = `${objectPath}.landing-${randomBytes(6).toString('hex')}`;
    try {
      // A buffer is written here: s3rver's own write of one answers before its bytes are down.
      const content = object.content;
      const [size, md5] = Buffer.isBuffer(content)
        ? await fs
            .writeFile(landing, content)
            .then(() => [content.length, createHash('md5').update(content).digest('hex')])
        : await store.putContent(landing, content);
      await byKey(`${object.bucket}/${object.key}`, async () => {
        await fs.rename(landing, objectPath);
        await store.putMetadata(object.bucket, object.key, object.metadata, String(md5));
      });
      return { size: Number(size), md5: String(md5) };
    } finally {
      await fs.rm(landing, { force: true });
    }
  };
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
    store: ObjectStore;
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
    writeObjectsWhole(store);
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
