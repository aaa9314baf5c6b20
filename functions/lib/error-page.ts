import type { Bilingual, Language } from '../domain/language';

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

const NEXT: Record<number, Bilingual> = {
  400: { 'zh-CN': '请返回上一页，修改后重新提交。', en: 'Go back, correct the form and send it again.' },
  401: { 'zh-CN': '请先登录后再打开此页面。', en: 'Sign in, then open this page again.' },
  403: {
    'zh-CN': '您的账号无权使用此页面。如您认为这是错误，请联系您的主管。',
    en: 'Your account may not use this page. If you think this is wrong, ask your supervisor.',
  },
  404: {
    'zh-CN': '请检查地址是否完整（邮件中的链接有时会被换行截断）。',
    en: 'Check that the address is complete (a link in an email is sometimes cut at a line break).',
  },
  410: {
    'zh-CN': '此链接已失效。请使用最新邮件中的链接。',
    en: 'This link no longer works. Use the link in the most recent email.',
  },
  429: { 'zh-CN': '请求过于频繁，请稍后再试。', en: 'Too many requests; please wait a moment and try again.' },
  500: {
    'zh-CN': '服务器出错，您的请求可能未被处理。请稍后重试。',
    en: 'Something went wrong on our side; your request may not have been processed. Please try again later.',
  },
  503: {
    'zh-CN': '服务暂时繁忙，未保存任何内容。请稍后重试。',
    en: 'The service is busy and nothing was saved. Please try again shortly.',
  },
};

const STATUS_NAMES: Record<number, Bilingual> = {
  400: { 'zh-CN': '请求有误', en: 'Bad request' },
  401: { 'zh-CN': '需要登录', en: 'Sign-in required' },
  403: { 'zh-CN': '无权访问', en: 'Not allowed' },
  404: { 'zh-CN': '找不到页面', en: 'Page not found' },
  405: { 'zh-CN': '不支持的操作', en: 'Not supported' },
  409: { 'zh-CN': '无法完成', en: 'Cannot be done' },
  410: { 'zh-CN': '链接已失效', en: 'Link no longer valid' },
  413: { 'zh-CN': '内容过大', en: 'Too large' },
  415: { 'zh-CN': '格式不支持', en: 'Unsupported format' },
  422: { 'zh-CN': '无法受理', en: 'Cannot be accepted' },
  429: { 'zh-CN': '请求过于频繁', en: 'Too many requests' },
  500: { 'zh-CN': '服务器错误', en: 'Server error' },
  503: { 'zh-CN': '服务繁忙', en: 'Service busy' },
};

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
    input.home ? `<p><a href="${esc(input.home)}">${zh ? '返回首页' : 'Back to the start'}</a></p>` : '',
    `<p><small>${zh ? '错误代码' : 'Error code'} ${status}</small></p>`,
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
<header>${input.langSwitch ? `<span class="lang"><a href="${esc(input.langSwitch)}" lang="${zh ? 'en' : 'zh-CN'}">${zh ? 'English' : '中文'}</a></span>` : ''}<strong>${zh ? 'Redress 投诉处理' : 'Redress complaints'}</strong></header>
<main>
<h1>${esc(name[language])}</h1>
${body}
</main>
</body>
</html>`;
}
