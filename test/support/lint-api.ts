import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { apiDescription } from '../../functions/http/shared/openapi';

/**
 * `redocly lint` (its recommended rules) on the document GET /openapi.json serves for the default
 * desk: resolves with its output when it finds no error, rejects with it otherwise.
 */
export async function lintApiDescription(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'redress-openapi-'));
  const file = path.join(dir, 'openapi.json');
  try {
    const categories = DEFAULT_DESK_CONFIG.categories.map((category) => category.id);
    writeFileSync(file, JSON.stringify(apiDescription('https://complaints.example.org', categories), null, 2));
    const bin = path.resolve(import.meta.dirname, '../../node_modules/.bin/redocly');
    const { stdout, stderr } = await promisify(execFile)(bin, ['lint', file, '--format', 'stylish'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`redocly lint found errors in the API description:\n${stdout}${stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  lintApiDescription().then(
    (output) => console.log(output),
    (error) => {
      console.error(String(error.message ?? error));
      process.exit(1);
    },
  );
}
