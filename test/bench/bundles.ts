/**
 * Each catalog function's bundle, built as the house construct builds it (the same esbuild
 * options, infra/constructs/function-bundle.ts), measured: its size, and how long a fresh Node
 * process takes to import it, beside an empty module in the same kind of process. Offline:
 * nothing is deployed or fetched. `BENCH_BUNDLE_DETAIL=1` also names each bundle's largest packages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { FUNCTIONS } from '../../functions/catalog';
import { DEFAULT_DESK_CONFIG, type DeskConfig } from '../../functions/domain/config';
import { BUNDLE_FILE, functionBuildOptions } from '../../infra/constructs/function-bundle';

const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 5);

/** Milliseconds a fresh `node` takes to import `file` (median of `runs`), with the options a function runs under. */
function importMs(file: string, runs = IMPORT_RUNS): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_SERVICE_NAME: 'redress',
    POWERTOOLS_METRICS_NAMESPACE: 'Redress',
  };
  const times = Array.from({ length: runs }, () =>
    Number(
      execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
        env,
        encoding: 'utf8',
      }),
    ),
  );
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** Where a bundle's bytes come from: packages by name, our own code as `functions`. */
function largestInputs(metafile: Metafile, outfile: string, count = 6): string {
  const inputs =
    Object.values(metafile.outputs).find((_, i) => Object.keys(metafile.outputs)[i]!.endsWith(path.basename(outfile)))
      ?.inputs ?? {};
  const bySource = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/')[0]!;
    bySource.set(name, (bySource.get(name) ?? 0) + bytesInOutput);
  }
  return [...bySource]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)}`)
    .join(', ');
}

export interface BundleFigure {
  id: string;
  kb: number;
  importMs: number;
}

/** Builds and measures every function; prints one line each and returns the figures. */
export async function benchBundles(desk: DeskConfig = DEFAULT_DESK_CONFIG): Promise<BundleFigure[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'redress-bundles-'));
  try {
    const empty = path.join(dir, 'empty.mjs');
    writeFileSync(empty, '');
    const emptyMs = importMs(empty);
    const figures: BundleFigure[] = [];
    for (const spec of FUNCTIONS) {
      const outdir = path.join(dir, spec.id);
      const result = await build({ ...functionBuildOptions(spec.entry, outdir, desk), metafile: true });
      const file = path.join(outdir, BUNDLE_FILE);
      const figure = { id: spec.id, kb: statSync(file).size / 1024, importMs: importMs(file) };
      figures.push(figure);
      const detail = process.env.BENCH_BUNDLE_DETAIL === '1' ? ` [${largestInputs(result.metafile!, file)}]` : '';
      console.log(
        `bundle ${spec.id.padEnd(22)} ${figure.kb.toFixed(0).padStart(5)} KB, import ${figure.importMs.toFixed(1).padStart(6)} ms${detail}`,
      );
    }
    const largest = Math.max(...figures.map((f) => f.kb));
    const slowest = Math.max(...figures.map((f) => f.importMs));
    console.log(
      `bundles: ${figures.length} functions, largest ${largest.toFixed(0)} KB, slowest import ${slowest.toFixed(1)} ms; an empty module imports in ${emptyMs.toFixed(1)} ms (node ${process.version}, --enable-source-maps as in Lambda)`,
    );
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchBundles();
