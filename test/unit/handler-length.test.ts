import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * A handler only parses its event, calls one use case and maps the result, so it stays short: no
 * handler file is over 60 lines of code. Decisions go to the use case (functions/app), wording and
 * markup to the page (functions/pages), what several handlers parse or map the same way to their
 * folder's shared/. Counted as the house hook counts: every line but blank ones and comment lines.
 */
const MAX_LINES = 60;
const ROOT = path.resolve(import.meta.dirname, '../..');
const HANDLER_FOLDERS = ['http', 'workflow', 'evidence', 'mail', 'sms', 'schedule', 'stream', 'reports', 'events'];

/** Lines of code: not blank, not a `//` line, not a line of a block comment (`/*`, ` *`). */
function codeLines(source: string): number {
  return source.split('\n').filter((line) => !/^\s*($|\/\/|\*|\/\*)/.test(line)).length;
}

function handlerFiles(): string[] {
  return HANDLER_FOLDERS.flatMap((folder) => {
    const dir = path.join(ROOT, 'functions', folder);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => `functions/${folder}/${entry.name}`);
  });
}

describe('handler length', () => {
  it(`keeps every handler at ${MAX_LINES} lines of code or fewer`, () => {
    const files = handlerFiles();
    expect(files).toContain('functions/http/task-page.ts');
    expect(files).toContain('functions/http/staff-case.ts');
    const long = files
      .map((file) => ({ file, lines: codeLines(readFileSync(path.join(ROOT, file), 'utf8')) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file} is ${lines} lines`);
    expect(long).toEqual([]);
  });

  it('counts code lines, not blank lines nor comments', () => {
    const source = [
      "import x from 'x';",
      '',
      '/**',
      ' * A doc comment.',
      ' */',
      '// a line comment',
      'export const y = x; // a trailing comment counts with its code',
      '   ',
      '/* one-line block */',
      'export const z = `',
      '`;',
    ].join('\n');
    expect(codeLines(source)).toBe(4);
  });
});
