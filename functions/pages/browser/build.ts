/**
 * Bundles the pages' browser scripts (the *.browser.ts modules here) with esbuild, each into one
 * minified IIFE, and writes them as string constants to scripts.generated.ts, which is checked in:
 * the Lambda bundles and the local stack import the constants and build nothing at run time.
 * test/unit/browser-scripts.test.ts fails when the checked-in file is out of date.
 *
 *   npm run build:browser
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');

/** Each exported constant and the module it is built from (relative to this folder). */
export const BROWSER_SCRIPTS = {
  COMPLAINT_FORM_SCRIPT: 'complaint-form.browser.ts',
  EVIDENCE_UPLOAD_SCRIPT: 'evidence-upload.browser.ts',
  BOARD_REFRESH_SCRIPT: 'board-refresh.browser.ts',
  STAFF_ENTRY_SCRIPT: 'staff-entry.browser.ts',
  ATTACH_SCRIPT: 'attach.browser.ts',
} as const;

export const GENERATED_FILE = path.join(HERE, 'scripts.generated.ts');

const HEADER = `// GENERATED FILE, do not edit: \`npm run build:browser\` (functions/pages/browser/build.ts)
// bundles and minifies functions/pages/browser/*.browser.ts into these constants.
// test/unit/browser-scripts.test.ts fails when this file is out of date.
`;

/** Bundles one browser module into a minified IIFE (as esbuild writes it, without the final newline). */
export async function bundleBrowserScript(entry: string): Promise<string> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(HERE, entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    charset: 'ascii',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text.trimEnd();
  // The page inlines it in a <script> element (layout.ts's inlineScript), which such text would end early.
  if (/<\/script|<!--/i.test(code))
    throw new Error(`${entry} bundles to code containing "</script" or "<!--", which cannot be inlined`);
  return code;
}

/** The text of scripts.generated.ts for the browser modules as they are now. */
export async function generatedScriptsFile(): Promise<string> {
  let out = HEADER;
  for (const [name, entry] of Object.entries(BROWSER_SCRIPTS)) {
    out += `\n/** Built from functions/pages/browser/${entry}. */\nexport const ${name} = ${JSON.stringify(await bundleBrowserScript(entry))};\n`;
  }
  return out;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const text = await generatedScriptsFile();
  let before = '';
  try {
    before = readFileSync(GENERATED_FILE, 'utf8');
  } catch {
    // Not written yet.
  }
  if (before === text) {
    console.log(`${path.relative(ROOT, GENERATED_FILE)} is up to date`);
  } else {
    writeFileSync(GENERATED_FILE, text);
    console.log(`wrote ${path.relative(ROOT, GENERATED_FILE)}`);
  }
}
