import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Bilingual } from '../../functions/domain/language';
import { labelOf, SUBJECT_TYPE_LABELS } from '../../functions/pages/labels';
import { REQUEST_TEXTS } from '../../functions/pages/request-texts';

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

describe('the message catalog', () => {
  const modules = [...filesUnder('functions/domain'), ...filesUnder('functions/pages')].filter(
    (file) => !file.includes('/browser/'),
  );

  it('has every text of domain/ and pages/ in zh-CN and English', async () => {
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

  it('leaves the handlers no text of their own: they name it in the catalog', () => {
    const handlerFolders = ['http', 'workflow', 'evidence', 'mail', 'sms', 'schedule', 'stream', 'reports', 'events'];
    const inline = [
      /'zh-CN'\s*:\s*['"`]/, // a Bilingual written in place
      /(\bzh|=== 'zh-CN')\s*\?\s*\(?\s*['"`]\p{L}/u, // a text chosen by language in place
    ];
    const found = handlerFolders
      .flatMap((folder) => {
        try {
          return filesUnder(`functions/${folder}`);
        } catch {
          return [];
        }
      })
      .flatMap((file) => {
        // Comment lines blanked (they may quote a text), so a match's line number stays right.
        const code = readFileSync(path.join(ROOT, file), 'utf8')
          .split('\n')
          .map((line) => (/^\s*(\/\/|\*|\/\*)/.test(line) ? '' : line))
          .join('\n');
        return inline.flatMap((pattern) =>
          [...code.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))].map(
            (match) => `${file}:${code.slice(0, match.index).split('\n').length}: ${match[0]}`,
          ),
        );
      });
    expect(found).toEqual([]);
  });
});
