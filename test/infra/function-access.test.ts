import { build } from 'esbuild';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog';
import { REPO_ROOT } from '../../infra/deploy-config';
import { PARTITIONS } from '../../functions/store/schema';

/**
 * The catalog says what each function may touch, and the stack grants exactly that. These
 * checks hold the declarations to the code: a function whose bundle can make tracking links,
 * send mail or use the table must say so (or it fails in AWS only, where IAM is enforced), and
 * one that cannot must not (or it holds rights it never uses).
 */
const bundles = new Map<string, { libs: string[]; text: string; inputs: string[] }>();
async function bundleOf(entry: string): Promise<{ libs: string[]; text: string; inputs: string[] }> {
  if (!bundles.has(entry)) {
    const result = await build({
      entryPoints: [path.join(REPO_ROOT, 'functions', `${entry}.ts`)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      packages: 'external',
      logLevel: 'silent',
    });
    bundles.set(entry, {
      libs: Object.keys(result.metafile.inputs)
        .filter((input) =>
          ['functions/lib/', 'functions/store/', 'functions/app/shared/'].some((dir) => input.includes(dir)),
        )
        .map((input) => path.basename(input, '.ts')),
      text: result.outputFiles[0]!.text,
      inputs: Object.keys(result.metafile.inputs),
    });
  }
  return bundles.get(entry)!;
}
const libsOf = async (entry: string) => (await bundleOf(entry)).libs;

describe('function access', () => {
  it('reads the link-signing key exactly where tracking links are made or checked', async () => {
    for (const spec of FUNCTIONS) expect(!!spec.signsLinks, spec.id).toBe((await libsOf(spec.entry)).includes('links'));
  });

  it('sends mail exactly where the mailer is bundled', async () => {
    for (const spec of FUNCTIONS)
      expect(!!spec.sendsEmail, spec.id).toBe((await libsOf(spec.entry)).includes('mailer'));
  });

  it('touches the table only where a store is bundled, and writes wherever mail is sent (suppression) or a store writes', async () => {
    for (const spec of FUNCTIONS) {
      const libs = await libsOf(spec.entry);
      // Every table entity of functions/store calls the table through table.ts; evidence-objects.ts is S3 only.
      const usesTable = libs.includes('table');
      expect(!!spec.table, spec.id).toBe(usesTable);
    }
    // Reading only: the tracking page, and the staff queue (it records nothing; a case view is recorded).
    expect(FUNCTIONS.filter((spec) => spec.table === 'read').map((spec) => spec.id)).toEqual([
      'TrackComplaint',
      'StaffQueue',
    ]);
  });

  it('names the partitions every writing function writes, and only writing functions name any', () => {
    for (const spec of FUNCTIONS) {
      if (spec.table === 'write') {
        expect(
          spec.tableWrites ?? [],
          `${spec.id} writes the table: its catalog entry must name the partitions it writes (tableWrites)`,
        ).not.toHaveLength(0);
        expect(new Set(spec.tableWrites).size, `${spec.id}: tableWrites named once each`).toBe(
          spec.tableWrites!.length,
        );
        for (const name of spec.tableWrites!) expect(PARTITIONS, spec.id).toHaveProperty(name);
      } else expect(spec.tableWrites, spec.id).toBeUndefined();
    }
  });

  it('keeps the local table-write guard out of every bundle (the guard holds the local stack to IAM; in AWS, IAM does it)', async () => {
    for (const spec of FUNCTIONS) {
      const { inputs, text } = await bundleOf(spec.entry);
      expect(
        inputs.filter((input) => input.startsWith('infra/')),
        spec.id,
      ).toEqual([]);
      expect(text, spec.id).not.toMatch(/table write refused|localTableWriteGuard/);
    }
  });

  it('grants batch reads, batch writes and scans exactly where the bundle makes them', async () => {
    const COMMANDS = { batchGet: 'BatchGetCommand', batchWrite: 'BatchWriteCommand', scan: 'ScanCommand' } as const;
    for (const spec of FUNCTIONS.filter((s) => s.table)) {
      const { text } = await bundleOf(spec.entry);
      const used = (Object.keys(COMMANDS) as (keyof typeof COMMANDS)[]).filter((bulk) =>
        new RegExp(`new ${COMMANDS[bulk]}\\(`).test(text),
      );
      expect(used.sort(), spec.id).toEqual([...new Set(spec.tableBulk ?? [])].sort());
    }
  });

  it('gives workflow calls only to functions that bundle the workflow client', async () => {
    for (const spec of FUNCTIONS.filter((s) => s.workflow?.length))
      expect(await libsOf(spec.entry), spec.id).toContain('workflow');
  });
}, 60_000);
