import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isMainThread,
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  workerData,
  type MessagePort,
} from 'node:worker_threads';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import type { DeskConfig } from '../../functions/domain/config';
import { REPO_ROOT } from '../deploy-config';

/**
 * How a Redress function is bundled: one definition, used by the house construct (what ships)
 * and by the bundle bench (what it measures). ESM for Node 24, minified, with the AWS SDK
 * versions the lockfile pins (the runtime image lacks or lags some packages), credentials from
 * the environment only, and the desk config, already validated, compiled in as a constant
 * (functions/lib/settings.ts reads it). SDK code a Lambda function never runs is left out, and
 * so are the parts of the mail parser Redress never calls: each module replaced below says what
 * it stands in for and why that is safe in Lambda. Run from source (the local stack, tests), the
 * SDK and the parser are whole.
 */

export const BUNDLE_TARGET = 'node24';
/** The file Lambda loads (handler `index.handler`). */
export const BUNDLE_FILE = 'index.mjs';
/** The identifier the bundle replaces with the desk config's JSON (declared in functions/lib/settings.ts). */
export const DESK_CONFIG_CONSTANT = '__REDRESS_DESK_CONFIG__';

// ESM bundles that pull in CommonJS dependencies (the AWS SDK does) still call `require` for
// Node built-ins; esbuild's ESM output has no `require`, so define one.
const REQUIRE_SHIM =
  "import { createRequire as __redressCreateRequire } from 'node:module'; const require = __redressCreateRequire(import.meta.url);";

/** The module of a catalog entry (`http/form-page`) as a path. */
export function functionEntryFile(entry: string): string {
  return join(REPO_ROOT, 'functions', `${entry}.ts`);
}

const clientModule = (name: string) => functionEntryFile(`lib/clients/${name}`);

/** Packages a bundle imports by name, resolved to another module. */
const BUNDLE_ALIASES: Record<string, string> = {
  // In Lambda the role's credentials are in the environment: no profile, SSO or metadata chain.
  '@aws-sdk/credential-provider-node': clientModule('lambda-credentials'),
  // The event-stream codec, for operations none of our calls is.
  '@smithy/core/event-streams': clientModule('no-event-streams'),
  // The DynamoDB endpoint-discovery cache's LRU.
  'mnemonist/lru-cache': clientModule('lru-cache'),
  // One S3 client per bundle: @aws-sdk/s3-presigned-post pins a copy of its own (an older
  // release, whose PutObject command and endpoint rules, all it takes from it, are the same).
  '@aws-sdk/client-s3': join(REPO_ROOT, 'node_modules', '@aws-sdk', 'client-s3'),
  // The mail parser's (ReceiveMail): HTML escaping without entity tables, no link detection
  // (text is never turned into HTML), no HTML writer. Every charset stays (Chinese, Japanese,
  // Korean and single-byte alike): mail is decoded in Lambda as on the laptop.
  he: clientModule('html-escape-only'),
  tlds: clientModule('no-text-links'),
  'dom-serializer': clientModule('no-html-serializer'),
};

/** Files inside SDK packages (imported by relative path, so no alias reaches them), by what replaces them. */
const SDK_FILE_REPLACEMENTS: [RegExp, string][] = [
  [
    /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]config[\\/]shared-ini-file-loader[\\/]loadSharedConfigFiles\.js$/,
    'no-config-files',
  ],
  [
    /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]config[\\/]config-resolver[\\/]regionConfig[\\/]getInstanceMetadataRegion\.js$/,
    'no-instance-metadata',
  ],
  [
    /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]checksum[\\/](sha256[\\/]Sha256Js|md5[\\/]Md5Js)\.js$/,
    'native-hashes-only',
  ],
  [/[\\/]@aws-sdk[\\/]checksums[\\/]dist-es[\\/]submodules[\\/]sha[\\/]sha1[\\/]Sha1Js\.js$/, 'native-hashes-only'],
  [
    /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]retry[\\/]util-retry[\\/]AdaptiveRetryStrategy\.js$/,
    'no-adaptive-retry',
  ],
  [/[\\/]@smithy[\\/]signature-v4[\\/]dist-es[\\/]HeaderFormatter\.js$/, 'no-event-signing'],
];

/** CommonJS files inside packages, by the stand-in export that becomes their `module.exports`. */
const COMMONJS_REPLACEMENTS: [RegExp, string, string][] = [
  // Called as a function (`require('linkify-it')()`), so the module itself must be one.
  [/[\\/]node_modules[\\/]linkify-it[\\/]build[\\/]index\.cjs\.js$/, 'no-text-links', 'linkifyIt'],
];

/** A replaced file re-exports its stand-in (esbuild fails the build if a name it must export is missing). */
const sdkFileReplacements: Plugin = {
  name: 'redress-sdk-file-replacements',
  setup(bundle) {
    for (const [filter, replacement] of SDK_FILE_REPLACEMENTS) {
      bundle.onLoad({ filter }, () => ({
        contents: `export * from ${JSON.stringify(clientModule(replacement))};`,
        loader: 'js',
        resolveDir: REPO_ROOT,
      }));
    }
    for (const [filter, replacement, name] of COMMONJS_REPLACEMENTS) {
      bundle.onLoad({ filter }, () => ({
        contents: `module.exports = require(${JSON.stringify(clientModule(replacement))}).${name};`,
        loader: 'js',
        resolveDir: REPO_ROOT,
      }));
    }
  },
};

/**
 * A client's shape schemas (`schemas_0.js`) name their traits with computed keys (`{ [_hH]: … }`
 * where `const _hH = "httpHeader"`), which esbuild must keep in case the key has side effects:
 * so the S3 client's schemas for every one of its operations (about 50 KB) stayed in any bundle
 * that calls one. The same keys written out as the strings they are let the unused schemas go.
 */
const sdkSchemaKeys: Plugin = {
  name: 'redress-sdk-schema-keys',
  setup(bundle) {
    bundle.onLoad(
      {
        filter:
          /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:submodules[\\/][^\\/]+[\\/])?schemas[\\/]schemas_\d+\.js$/,
      },
      ({ path }) => {
        const source = readFileSync(path, 'utf8');
        const strings = new Map<string, string>();
        for (const [, name, literal] of source.matchAll(/^const (\w+) = ("(?:[^"\\\n]|\\.)*");$/gm))
          strings.set(name!, literal!);
        // Only keys of object literals (after `{` or `,`), and only names bound to a string constant.
        return {
          contents: source.replace(/([{,]\s*)\[(\w+)\]:/g, (key, before: string, name: string) =>
            strings.has(name) ? `${before}${strings.get(name)}:` : key,
          ),
          loader: 'js',
        };
      },
    );
  },
};

/** One exception class of a client's generated `models/errors.js`, as read from it. */
interface ServiceErrorShape {
  name: string;
  namespace: string;
  fault: 'client' | 'server';
  retryable: boolean;
  members: string[];
}

/** The generated source of one exception class (the SDK's code generator writes exactly this). */
function serviceErrorSource({ name, namespace, fault, retryable, members }: ServiceErrorShape): string {
  return [
    `export class ${name} extends __BaseException {`,
    `    static shapeId = "${namespace}#${name}";`,
    `    name = "${name}";`,
    `    $fault = "${fault}";`,
    ...(retryable ? ['    $retryable = {};'] : []),
    ...members.map((member) => `    ${member};`),
    '    constructor(opts) {',
    '        super({',
    `            name: "${name}",`,
    `            $fault: "${fault}",`,
    '            ...opts,',
    '        });',
    `        Object.setPrototypeOf(this, ${name}.prototype);`,
    ...members.map((member) => `        this.${member} = opts.${member};`),
    '    }',
    '}',
    '',
  ].join('\n');
}

const SERVICE_ERRORS_HEADER = /^import \{ (\w+) as __BaseException \} from "(\.\/\w+)";\n/;
const SERVICE_ERROR_CLASS =
  /export class (\w+) extends __BaseException \{\n {4}static shapeId = "([\w.]+)#\1";\n {4}name = "\1";\n {4}\$fault = "(client|server)";\n( {4}\$retryable = \{\};\n)?((?: {4}\w+;\n)*) {4}constructor\(opts\) \{\n[\s\S]*?\n {4}\}\n\}\n/y;

/**
 * A client's `models/errors.js` with each class made by one function (`serviceErrorClass`,
 * functions/lib/clients/service-errors.ts), or undefined when the module is not exactly of the
 * generated form: it is rewritten only if writing back what was read gives the same text.
 */
export function compactServiceErrors(source: string): string | undefined {
  const header = SERVICE_ERRORS_HEADER.exec(source);
  if (!header) return undefined;
  const shapes: ServiceErrorShape[] = [];
  SERVICE_ERROR_CLASS.lastIndex = header[0].length;
  for (let match = SERVICE_ERROR_CLASS.exec(source); match; match = SERVICE_ERROR_CLASS.exec(source)) {
    const [, name, namespace, fault, retryable, fields] = match;
    shapes.push({
      name: name!,
      namespace: namespace!,
      fault: fault as ServiceErrorShape['fault'],
      retryable: Boolean(retryable),
      members: [...fields!.matchAll(/ {4}(\w+);\n/g)].map(([, member]) => member!),
    });
  }
  const namespaces = new Set(shapes.map((shape) => shape.namespace));
  if (!shapes.length || namespaces.size !== 1 || header[0] + shapes.map(serviceErrorSource).join('') !== source)
    return undefined;
  const call = ({ name, fault, retryable, members }: ServiceErrorShape) =>
    `export const ${name} = /* @__PURE__ */ __serviceErrorClass(__BaseException, __namespace, ${JSON.stringify(name)}, ${JSON.stringify(fault)}${members.length || retryable ? `, ${JSON.stringify(members)}` : ''}${retryable ? ', true' : ''});`;
  return [
    header[0].trimEnd(),
    `import { serviceErrorClass as __serviceErrorClass } from ${JSON.stringify(clientModule('service-errors'))};`,
    `const __namespace = ${JSON.stringify([...namespaces][0])};`,
    ...shapes.map(call),
    '',
  ].join('\n');
}

/** Each client's exception classes, made by one function (see {@link compactServiceErrors}). */
const sdkServiceErrors: Plugin = {
  name: 'redress-sdk-service-errors',
  setup(bundle) {
    bundle.onLoad(
      { filter: /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]models[\\/]errors\.js$/ },
      ({ path }) => {
        const contents = compactServiceErrors(readFileSync(path, 'utf8'));
        return contents === undefined ? undefined : { contents, loader: 'js' };
      },
    );
  },
};

/**
 * The AWS partitions' table (`partitions.js`, read by every client's endpoint rules) names each
 * region with a description ("Asia Pacific (Tokyo)"), which no endpoint rule reads (they read a
 * partition's name, DNS suffixes and FIPS and dual-stack support): the regions stay, without it.
 */
const partitionsWithoutDescriptions: Plugin = {
  name: 'redress-sdk-partitions',
  setup(bundle) {
    bundle.onLoad(
      {
        filter:
          /[\\/]node_modules[\\/]@aws-sdk[\\/]core[\\/]dist-es[\\/]submodules[\\/]client[\\/]util-endpoints[\\/]lib[\\/]aws[\\/]partitions\.js$/,
      },
      ({ path }) => ({
        contents: readFileSync(path, 'utf8').replace(/\{\s*"description": "[^"\\\n]*"\s*\}/g, '{}'),
        loader: 'js',
      }),
    );
  },
};

/** A client's package.json is imported whole for the one field its user agent reads, `version`. */
const clientVersionOnly: Plugin = {
  name: 'redress-sdk-client-version',
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/ }, ({ path }) => ({
      contents: JSON.stringify({ version: (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version }),
      loader: 'json',
    }));
  },
};

/** esbuild's options for one function: `entry` as in the catalog, written to `outdir/index.mjs`. Async builds only (it has plugins). */
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
    alias: BUNDLE_ALIASES,
    plugins: [sdkSchemaKeys, sdkServiceErrors, partitionsWithoutDescriptions, clientVersionOnly, sdkFileReplacements],
    logLevel: 'warning',
  };
}

/**
 * The bundles of several functions in one esbuild run, each at `<outdir>/<id>/index.mjs` and byte
 * for byte what {@link functionBuildOptions} builds for it alone: the run parses what they share
 * once (about three times faster than one build each).
 */
export function functionsBuildOptions(
  functions: readonly { id: string; entry: string }[],
  outdir: string,
  desk: DeskConfig,
): BuildOptions {
  const {
    entryPoints: _one,
    outfile: _file,
    ...shared
  } = functionBuildOptions(functions[0]?.entry ?? '', outdir, desk);
  const name = BUNDLE_FILE.replace(/\.mjs$/, '');
  return {
    ...shared,
    entryPoints: Object.fromEntries(functions.map((f) => [`${f.id}/${name}`, functionEntryFile(f.entry)])),
    outdir,
    outExtension: { '.js': '.mjs' },
  };
}

/** Longest one bundle may take (a worker that failed to start never answers). */
const BUNDLE_TIMEOUT_MS = 120_000;
/** The worker that runs {@link buildFunctionBundle}'s builds, started on first use. */
let bundler: { port: MessagePort; done: Int32Array } | undefined;

/**
 * The same build for a caller that cannot wait (CDK's local bundling is synchronous, and
 * esbuild's synchronous API takes no plugins): run in a worker thread while this one waits.
 */
export function buildFunctionBundle(entry: string, outdir: string, desk: DeskConfig): void {
  if (!bundler) {
    const { port1, port2 } = new MessageChannel();
    const done = new Int32Array(new SharedArrayBuffer(4));
    new Worker(new URL(import.meta.url), {
      workerData: { redressBundler: { port: port2, done } },
      transferList: [port2],
      execArgv: ['--import', 'tsx'],
    }).unref();
    bundler = { port: port1, done };
  }
  Atomics.store(bundler.done, 0, 0);
  bundler.port.postMessage({ entry, outdir, desk });
  if (Atomics.wait(bundler.done, 0, 0, BUNDLE_TIMEOUT_MS) === 'timed-out')
    throw new Error(
      `Bundling ${entry} took over ${BUNDLE_TIMEOUT_MS / 1000} s (or the bundling worker failed to start)`,
    );
  const { error } = receiveMessageOnPort(bundler.port)!.message as { error?: string };
  if (error) throw new Error(`Bundling ${entry} failed: ${error}`);
}

const asBundler = isMainThread
  ? undefined
  : (workerData as { redressBundler?: { port: MessagePort; done: Int32Array } } | null)?.redressBundler;
if (asBundler) {
  const { port, done } = asBundler;
  port.on('message', async ({ entry, outdir, desk }: { entry: string; outdir: string; desk: DeskConfig }) => {
    let error: string | undefined;
    try {
      await build(functionBuildOptions(entry, outdir, desk));
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    port.postMessage({ error });
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
  });
}
