import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * The two checks every staff page passes: the Nu Html Checker (vnu-jar from npm, on the machine's
 * Java) on the page as served, and axe-core in the browser on the page as shown.
 */

const vnuJar = createRequire(import.meta.url)('vnu-jar') as string;

export interface VnuMessage {
  page: string;
  message: string;
  extract?: string;
  line?: number;
}

/** The checker's errors on each page (0 is the goal): one JVM for the lot. */
export async function vnuErrors(pages: readonly { name: string; html: string }[]): Promise<VnuMessage[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'redress-vnu-'));
  try {
    const files = pages.map((p, i) => {
      const file = path.join(dir, `${String(i).padStart(3, '0')}.html`);
      writeFileSync(file, p.html);
      return { file, name: p.name };
    });
    const run = await promisify(execFile)(
      'java',
      [
        '-Xss4m',
        '-jar',
        vnuJar,
        '--errors-only',
        '--format',
        'json',
        '--exit-zero-always',
        ...files.map((f) => f.file),
      ],
      { maxBuffer: 32 * 1024 * 1024 },
    );
    // vnu writes its report to stderr.
    const report = JSON.parse(run.stderr || run.stdout || '{"messages":[]}') as {
      messages: { type: string; url?: string; message: string; extract?: string; lastLine?: number }[];
    };
    return report.messages
      .filter((m) => m.type === 'error')
      .map((m) => ({
        page: files.find((f) => m.url?.endsWith(path.basename(f.file)))?.name ?? m.url ?? '?',
        message: m.message,
        extract: m.extract,
        line: m.lastLine,
      }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** axe-core's violations on the page as it is shown now, as "rule: target" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page } as never).analyze();
  return result.violations.flatMap((v) =>
    v.nodes.map(
      (node) => `${v.id} (${v.impact}): ${node.target.join(' ')} — ${node.failureSummary?.split('\n')[1] ?? v.help}`,
    ),
  );
}
