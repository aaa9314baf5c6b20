/**
 * npm run verify-bundle <zip>: checks a case archive (referral bundle or export) against its
 * manifest.json: every listed file present with its size and sha256, nothing unlisted. Prints
 * each file that differs and exits 1; exits 2 when the file is not a readable ZIP; 0 when intact.
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { MANIFEST_PATH, verifyAgainstManifest } from '../../functions/domain/bundle-manifest';

const path = process.argv[2];
if (!path) {
  console.error('usage: npm run verify-bundle <archive.zip>');
  process.exit(2);
}
let files: Map<string, Uint8Array>;
try {
  files = new Map(Object.entries(unzipSync(readFileSync(path))));
} catch (error) {
  console.error(`${path}: not a readable ZIP (${(error as Error).message})`);
  process.exit(2);
}
const problems = verifyAgainstManifest(files);
if (problems.length) {
  for (const p of problems) console.error(`${p.problem.toUpperCase()} ${p.path}: ${p.detail}`);
  console.error(`${path}: ${problems.length} file(s) differ from ${MANIFEST_PATH}`);
  process.exit(1);
}
const manifest = JSON.parse(new TextDecoder().decode(files.get(MANIFEST_PATH))) as {
  files: unknown[];
  caseNumber: string;
};
console.log(`${path}: intact, ${manifest.files.length} file(s) of case ${manifest.caseNumber} match ${MANIFEST_PATH}`);
