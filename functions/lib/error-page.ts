import type { Bilingual, Language } from '../domain/language';
import { ERROR_PAGE_NEXT_STEPS, ERROR_PAGE_STATUS_NAMES, PLATFORM_TEXTS } from './platform-texts';

/**
 * The page a browser gets for an error (lib/http.ts `problem` decides: a request that asks for
 * HTML): the problem's title and detail in the reader's language, each bad field, and what the
 * reader can do next. JSON clients get the same problem as problem+json. Platform code (every
 * handler answers errors through it), so it carries its own small page shell rather than the
 * pages' layout, in the same colours.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE =
  'body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;color:#1d2330;background:#f5f6f8}' +
  'header{background:#1f3a5f;color:#fff;padding:.75rem 1rem}header a{color:#fff}.lang{float:right;font-size:.9em}' +
  'main{max-width:46rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.5rem 0 1rem}' +
  'section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:1rem;margin:0 0 1rem;border-left:4px solid #c0392b;color:#8e1f14}';

const NEXT: Record<number, Bilingual> = ERROR_PAGE_NEXT_STEPS;
const STATUS_NAMES: Record<number, Bilingual> = ERROR_PAGE_STATUS_NAMES;

export function errorPageHtml(input: {
  status: number;
  title: string;
  detail?: string;
  errors?: { path: string; message: string }[];
  language: Language;
  /** The same address in the other language. */
  langSwitch?: string;
  /** Where to go from here (the staff desk's queue for staff pages, say). */
  home?: string;
}): string {
  const { status, language } = input;
  const zh = language === 'zh-CN';
  const name = STATUS_NAMES[status] ?? STATUS_NAMES[status >= 500 ? 500 : 400]!;
  const next = NEXT[status] ?? NEXT[status >= 500 ? 500 : 400]!;
  const body = [
    `<section role="alert" data-status="${status}"><p><strong>${esc(input.title)}</strong></p>`,
    input.detail ? `<p>${esc(input.detail)}</p>` : '',
    input.errors?.length
      ? `<ul>${input.errors.map((e) => `<li>${esc(e.path)}${zh ? '：' : ': '}${esc(e.message)}</li>`).join('')}</ul>`
      : '',
    '</section>',
    `<p>${esc(next[language])}</p>`,
    input.home ? `<p><a href="${esc(input.home)}">${PLATFORM_TEXTS.backToStart[language]}</a></p>` : '',
    `<p><small>${PLATFORM_TEXTS.errorCode[language]} ${status}</small></p>`,
  ].join('\n');
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${esc(name[language])}</title>
<style>${STYLE}</style>
</head>
<body>
<header>${input.langSwitch ? `<span class="lang"><a href="${esc(input.langSwitch)}" lang="${zh ? 'en' : 'zh-CN'}">${PLATFORM_TEXTS.otherLanguage[language]}</a></span>` : ''}<strong>${PLATFORM_TEXTS.siteName[language]}</strong></header>
<main>
<h1>${esc(name[language])}</h1>
${body}
</main>
</body>
</html>`;
}
