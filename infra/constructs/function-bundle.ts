import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import type { DeskConfig } from '../../functions/domain/config';
import { REPO_ROOT } from '../deploy-config';

/**
 * How a Redress function is bundled: one definition, used by the house construct (what ships)
 * and by the bundle bench (what it measures). ESM for Node 24, minified, with the AWS SDK
 * versions the lockfile pins (the runtime image lacks or lags some packages), credentials from
 * the environment only, and the desk config, already validated, compiled in as a constant
 * (functions/lib/settings.ts reads it).
 */

export const BUNDLE_TARGET = 'node24';
/** The file Lambda loads (handler `index.handler`). */
export const BUNDLE_FILE = 'index.mjs';
/** The identifier the bundle replaces with the desk config's JSON (declared in functions/lib/settings.ts). */
export const DESK_CONFIG_CONSTANT = '__REDRESS_DESK_CONFIG__';

// ESM bundles that pull in CommonJS dependencies (the AWS SDK does) still call `require` for
// Node built-ins; esbuild's ESM output has no `require`, so define one.
const REQUIRE_SHIM = "import { createRequire as __redressCreateRequire } from 'node:module'; const require = __redressCreateRequire(import.meta.url);";

/** The module of a catalog entry (`http/form-page`) as a path. */
export function functionEntryFile(entry: string): string {
  return join(REPO_ROOT, 'functions', `${entry}.ts`);
}

/** esbuild's options for one function: `entry` as in the catalog, written to `outdir/index.mjs`. */
export function functionBuildOptions(entry: string, outdir: string, desk: DeskConfig): BuildOptions {
  return {
    entryPoints: [functionEntryFile(entry)],
    outfile: join(outdir, BUNDLE_FILE),
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    charset: 'utf8',
    legalComments: 'none',
    banner: { js: REQUIRE_SHIM },
    define: { [DESK_CONFIG_CONSTANT]: JSON.stringify(desk) },
    // In Lambda the role's credentials are in the environment: no profile, SSO or metadata chain.
    alias: { '@aws-sdk/credential-provider-node': functionEntryFile('lib/clients/lambda-credentials') },
    logLevel: 'warning',
  };
}
