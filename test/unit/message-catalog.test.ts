import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Bilingual } from '../../functions/domain/language';
import { labelOf, SUBJECT_TYPE_LABELS } from '../../functions/pages/labels';
import { REQUEST_TEXTS } from '../../functions/pages/request-texts';
import { USE_CASE_TEXTS } from '../../functions/pages/use-case-texts';
import { PLATFORM_TEXTS } from '../../functions/lib/platform-texts';

/**
 * The message catalog: every text a person reads is a Bilingual (zh-CN and en) in a typed table
 * of domain/ (statuses, steps, outcomes, history events) or pages/ (labels, figures, notices,
 * what the handlers answer). A text in one language only does not compile where the table says
 * what it holds; this walks every table that domain/ and pages/ export, whatever their type, so
 * a half-written entry fails here too, named. Handlers hold no text of their own.
 */

const ROOT = path.resolve(__dirname, '../..');
const filesUnder = (folder: string): string[] =>
  readdirSync(path.join(ROOT, folder)).flatMap((name) => {
    const file = path.join(folder, name);
    if (statSync(path.join(ROOT, file)).isDirectory()) return filesUnder(file);
    return file.endsWith('.ts') && !file.endsWith('.generated.ts') ? [file] : [];
  });

/** Every place under `value` that names a language: each must hold both, as words. */
function halfWritten(value: unknown, at: string, seen = new Set<unknown>()): string[] {
  // Tables are plain objects and arrays (a schema or a client is no table).
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return [];
  seen.add(value);
  const record = value as Record<string, unknown>;
  const languages = LANGUAGES.filter((l) => Object.hasOwn(record, l));
  const problems =
    languages.length === 0
      ? []
      : LANGUAGES.filter((l) => {
          const text = record[l];
          return typeof text === 'function' ? false : typeof text !== 'string' || text.trim() === '';
        }).map((l) => `${at}: no ${l} text`);
  return [
    ...problems,
    ...Object.entries(record)
      .filter(([key]) => !(LANGUAGES as readonly string[]).includes(key))
      .flatMap(([key, inner]) => halfWritten(inner, `${at}.${key}`, seen)),
  ];
}

/**
 * Where code holds words of its own. Everything but domain/ and pages/ (whose tables are walked
 * above) names its texts in a catalog table; lib/ sits below pages/, so its table is
 * lib/platform-texts.ts. The API's reference (api-contract.ts) is for developers, in English.
 */
const CODE_FOLDERS = [
  'app',
  'lib',
  'http',
  'workflow',
  'evidence',
  'mail',
  'sms',
  'schedule',
  'stream',
  'reports',
  'events',
];
const CATALOG_TABLES = ['functions/lib/platform-texts.ts'];
const NOT_FOR_READERS = ['functions/http/shared/api-contract.ts'];
const INLINE_TEXT = [
  /'zh-CN'\s*:\s*['"`]/, // a Bilingual written in place
  /(\bzh|=== 'zh-CN')\s*\?\s*\(?\s*['"`](?!(en|zh-CN)['"`])\p{L}/u, // a text chosen by language in place (not the other language's code)
  /['"`][^'"`\n]*\p{Script=Han}/u, // Chinese in a string, however it is chosen
];

function inlineTextsIn(source: string, file: string): string[] {
  // Comment lines blanked (they may quote a text), so a match's line number stays right.
  const code = source
    .split('\n')
    .map((line) => (/^\s*(\/\/|\*|\/\*)/.test(line) ? '' : line))
    .join('\n');
  // One hit a line, in line order: the count is of places holding a text.
  const hits = new Map<number, string>();
  for (const pattern of INLINE_TEXT)
    for (const match of code.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))) {
      const line = code.slice(0, match.index).split('\n').length;
      if (!hits.has(line)) hits.set(line, `${file}:${line}: ${match[0]}`);
    }
  return [...hits].sort(([a], [b]) => a - b).map(([, hit]) => hit);
}

function inlineTexts(folders: string[]): string[] {
  return folders
    .flatMap((folder) => {
      try {
        return filesUnder(`functions/${folder}`);
      } catch {
        return [];
      }
    })
    .filter((file) => !CATALOG_TABLES.includes(file) && !NOT_FOR_READERS.includes(file))
    .flatMap((file) => inlineTextsIn(readFileSync(path.join(ROOT, file), 'utf8'), file));
}

describe('the message catalog', () => {
  const modules = [...filesUnder('functions/domain'), ...filesUnder('functions/pages'), ...CATALOG_TABLES].filter(
    (file) => !file.includes('/browser/'),
  );

  it('has every text of domain/, pages/ and lib/platform-texts.ts in zh-CN and English', async () => {
    const problems: string[] = [];
    let tables = 0;
    for (const file of modules) {
      const exported = (await import(path.join(ROOT, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exported)) {
        if (value === null || typeof value !== 'object') continue;
        tables++;
        problems.push(...halfWritten(value, `${file} ${name}`));
      }
    }
    expect(tables).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });

  it('finds a text written in one language only', () => {
    const table = { saved: { 'zh-CN': '已保存。' }, fine: { 'zh-CN': '是', en: 'Yes' } };
    expect(halfWritten(table, 'table')).toEqual(['table.saved: no en text']);
  });

  it('does not compile a key it does not define, nor a text in one language only', () => {
    // @ts-expect-error a key the catalog does not define
    expect(REQUEST_TEXTS.noSuchText).toBeUndefined();
    // @ts-expect-error a key the use cases' catalog does not define
    expect(USE_CASE_TEXTS.noSuchText).toBeUndefined();
    // @ts-expect-error a key the platform's catalog does not define
    expect(PLATFORM_TEXTS.noSuchText).toBeUndefined();
    // @ts-expect-error a text with a value in it takes that value, typed
    expect(USE_CASE_TEXTS.viewsFull('twenty').en).toBe('at most twenty views may be saved there');
    // @ts-expect-error a text in one language only
    const oneLanguage: Bilingual = { en: 'Saved.' };
    expect(oneLanguage.en).toBe('Saved.');
    // @ts-expect-error a subject type the catalog does not label
    expect(SUBJECT_TYPE_LABELS.planet).toBeUndefined();
  });

  it('answers a value read at run time with its label, or with nothing when it has none', () => {
    expect(labelOf(SUBJECT_TYPE_LABELS, 'post')).toEqual({ 'zh-CN': '帖子', en: 'A post' });
    expect(labelOf(SUBJECT_TYPE_LABELS, 'planet')).toBeUndefined();
    expect(labelOf(SUBJECT_TYPE_LABELS, 'constructor')).toBeUndefined();
  });

  it('leaves the handlers, use cases and platform no text of their own: they name it in a catalog table', () => {
    expect(inlineTexts(CODE_FOLDERS)).toEqual([]);
  });

  it('finds a text written in place: a Bilingual, a text chosen by language, or Chinese in a string', () => {
    const code = [
      "throw new NotFoundError({ 'zh-CN': '找不到该文件', en: 'No such file' });",
      "const message = zh ? '过长' : 'is too long';",
      "const other = language === 'zh-CN' ? `最多 ${n} 个` : `at most ${n}`;",
      "const nested = zh ? (long ? '最多 2000 个字符' : '必填') : 'is required';",
      '// a comment may quote 已保存。',
      "const fine = USE_CASE_TEXTS.noSuchFile[language] + (zh ? '：' : ': ');",
      "const other = language === 'zh-CN' ? 'en' : 'zh-CN';",
    ].join('\n');
    expect(inlineTextsIn(code, 'x.ts').map((hit) => hit.split(': ')[0])).toEqual([
      'x.ts:1',
      'x.ts:2',
      'x.ts:3',
      'x.ts:4',
    ]);
  });
});
