import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { deleteUnderPrefix } from '../../functions/store/bucket-prefix';
import { keepWithCase } from '../../functions/store/inbound-objects';
import { settings } from '../../functions/lib/settings';

/**
 * The purge's delete of a prefix against a stand-in of a versioned bucket, written here because
 * the local S3 (s3rver) keeps no versions: a plain delete only stacks a delete marker and keeps
 * the bytes as a non-current version, so the purge must delete every version and marker.
 */
interface Version {
  key: string;
  id: string;
  marker?: true;
}

function versionedBucket(pageSize = 2) {
  let next = 0;
  let versions: Version[] = [];
  const put = (key: string) => versions.push({ key, id: `v${next++}` });
  const deleteKey = (key: string) => versions.push({ key, id: `v${next++}`, marker: true });
  const client: Pick<S3Client, 'send'> = {
    send: (async (command: unknown) => {
      if (command instanceof ListObjectVersionsCommand) {
        const { Prefix = '', KeyMarker, VersionIdMarker } = command.input;
        const all = versions.filter((v) => v.key.startsWith(Prefix));
        const start = KeyMarker ? all.findIndex((v) => v.key === KeyMarker && v.id === VersionIdMarker) + 1 : 0;
        const page = all.slice(start, start + pageSize);
        const last = page.at(-1);
        const truncated = start + pageSize < all.length;
        return {
          Versions: page.filter((v) => !v.marker).map((v) => ({ Key: v.key, VersionId: v.id })),
          DeleteMarkers: page.filter((v) => v.marker).map((v) => ({ Key: v.key, VersionId: v.id })),
          IsTruncated: truncated,
          ...(truncated ? { NextKeyMarker: last!.key, NextVersionIdMarker: last!.id } : {}),
        };
      }
      if (command instanceof DeleteObjectsCommand) {
        for (const object of command.input.Delete!.Objects!) {
          if (!object.VersionId) throw new Error('a delete without a version id leaves the bytes behind');
          versions = versions.filter((v) => !(v.key === object.Key && v.id === object.VersionId));
        }
        return {};
      }
      throw new Error(`not in this stand-in: ${(command as object).constructor.name}`);
    }) as Pick<S3Client, 'send'>['send'],
  };
  return { client, put, deleteKey, keys: () => versions.map((v) => `${v.key}@${v.id}${v.marker ? ' (marker)' : ''}`) };
}

describe('purging a prefix of the versioned bucket', () => {
  it('deletes every version and delete marker under the prefix, page by page, and nothing else (against a versioned-bucket stand-in: s3rver has no versions)', async () => {
    const bucket = versionedBucket();
    bucket.put('complaints/c1/a.png');
    bucket.put('complaints/c1/a.png'); // overwritten: the first is non-current
    bucket.put('complaints/c1/b.pdf');
    bucket.deleteKey('complaints/c1/b.pdf'); // deleted earlier: a marker over the bytes
    bucket.put('complaints/c10/other.png');
    bucket.put('complaints/c2/other.png');
    const deleted = await deleteUnderPrefix('evidence', 'complaints/c1/', 'evidence', bucket.client);
    expect(deleted).toBe(4);
    expect(bucket.keys()).toEqual(['complaints/c10/other.png@v4', 'complaints/c2/other.png@v5']);
  });

  it('deletes by key where the store keeps no versions (the local s3rver answers MethodNotAllowed)', async () => {
    const keys = ['mail/complaints/c1/m1', 'mail/complaints/c1/m2'];
    const deletedKeys: string[] = [];
    const client: Pick<S3Client, 'send'> = {
      send: (async (command: unknown) => {
        if (command instanceof ListObjectVersionsCommand)
          throw Object.assign(new Error('not allowed'), { name: 'MethodNotAllowed' });
        if (command instanceof ListObjectsV2Command) return { Contents: keys.map((Key) => ({ Key })) };
        if (command instanceof DeleteObjectsCommand) {
          deletedKeys.push(...command.input.Delete!.Objects!.map((o) => o.Key!));
          return {};
        }
        throw new Error('unexpected');
      }) as Pick<S3Client, 'send'>['send'],
    };
    expect(await deleteUnderPrefix('evidence', 'mail/complaints/c1/', 'raw mail', client)).toBe(2);
    expect(deletedKeys).toEqual(keys);
  });

  it('fails on any other error (a missing permission must not pass for a store without versions)', async () => {
    const client: Pick<S3Client, 'send'> = {
      send: (async () => {
        throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
      }) as Pick<S3Client, 'send'>['send'],
    };
    await expect(deleteUnderPrefix('evidence', 'exports/c1/', 'archives', client)).rejects.toThrow('denied');
  });

  it('moves a landed raw mail to its case and deletes the version it copied, so no non-current copy stays under inbound/ (versioned-bucket stand-in)', async () => {
    process.env.EVIDENCE_BUCKET ??= 'evidence';
    // The bucket the code read (settings are read once per worker, and unit files share theirs).
    const bucket = settings().evidenceBucket;
    const sent: unknown[] = [];
    const client = (copySourceVersionId?: string): Pick<S3Client, 'send'> => ({
      send: (async (command: unknown) => {
        sent.push(command);
        if (command instanceof CopyObjectCommand)
          return copySourceVersionId ? { CopySourceVersionId: copySourceVersionId } : {};
        return {};
      }) as Pick<S3Client, 'send'>['send'],
    });
    expect(await keepWithCase('inbound/m1', 'c1', client('v7'))).toBe('mail/complaints/c1/m1');
    const deletes = sent.filter((c): c is DeleteObjectCommand => c instanceof DeleteObjectCommand);
    expect(deletes.map((d) => d.input)).toEqual([{ Bucket: bucket, Key: 'inbound/m1', VersionId: 'v7' }]);
    // Without versions (s3rver), by key.
    sent.length = 0;
    await keepWithCase('inbound/m2', 'c1', client());
    expect(sent.filter((c) => c instanceof DeleteObjectCommand).map((d) => (d as DeleteObjectCommand).input)).toEqual([
      { Bucket: bucket, Key: 'inbound/m2' },
    ]);
  });
});
