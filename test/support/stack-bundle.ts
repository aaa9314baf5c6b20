import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { projectCache } from '../../infra/local/prerequisites';

const REPO = path.resolve(import.meta.dirname, '../..');

/**
 * Each module's own `import.meta.url` and `import.meta.dirname`, written into it as it is
 * bundled: the local stack finds its files (the DynamoDB Local launcher, the repository's root)
 * next to its sources, wherever the bundle is.
 */
const ownImportMeta: Plugin = {
  name: 'own-import-meta',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      return {
        loader: 'ts',
        contents: source
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path))),
      };
    });
  },
};

/**
 * `npm start`'s entry point (infra/local/start.ts) and every handler it loads as one JavaScript
 * file, its packages left to node_modules: a test run's stacks start from it without compiling
 * TypeScript module by module (measured: loading the stack and its handlers 0.6 s of CPU from the
 * bundle, 1.5 s through tsx; a run starts about forty stacks). One file per run (its setup's
 * process id), removed by its teardown.
 */
export async function buildStackBundle(): Promise<string> {
  const dir = projectCache();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `local-stack-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(REPO, 'infra/local/start.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    packages: 'external',
    sourcemap: 'linked',
    outfile: file,
    logLevel: 'warning',
    plugins: [ownImportMeta],
  });
  return file;
}
