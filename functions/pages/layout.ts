import type { Language } from '../domain/language';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Marks a string as already-safe HTML for the `html` template tag. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

/** Template tag: interpolated values are escaped unless they are SafeHtml (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const rendered = Array.isArray(value)
      ? value.map((v) => (v instanceof SafeHtml ? v.value : escapeHtml(v))).join('')
      : value instanceof SafeHtml
        ? value.value
        : escapeHtml(value);
    out += rendered + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** An attribute name this module emits: letters, digits and single `-`, `_`, `.` or `:` between them. */
const ATTRIBUTE_NAME = /^[a-zA-Z][a-zA-Z0-9]*(?:[-_.:][a-zA-Z0-9]+)*$/;

/**
 * Attributes for an element's start tag, `name="value"` with the value escaped; `true` gives a
 * bare name, `false`, `null` and `undefined` leave it out. A name that is not a plain attribute
 * name is refused (names cannot be escaped).
 */
export function attributes(record: Readonly<Record<string, string | number | boolean | null | undefined>>): SafeHtml {
  const out: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    if (!ATTRIBUTE_NAME.test(name)) throw new Error(`not an attribute name: ${JSON.stringify(name)}`);
    if (value === false || value === null || value === undefined) continue;
    out.push(value === true ? name : `${name}="${escapeHtml(value)}"`);
  }
  return new SafeHtml(out.join(' '));
}

/**
 * `data-*` attributes a browser script reads back through `element.dataset`: key `uploadFailed`
 * becomes `data-upload-failed`. Keys are camelCase (a letter, then letters and digits).
 */
export function dataAttributes<Data extends { [K in keyof Data]: string }>(data: Data): SafeHtml {
  return attributes(
    Object.fromEntries(
      Object.entries<string>(data).map(([key, value]) => {
        if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) throw new Error(`not a dataset key: ${JSON.stringify(key)}`);
        return [`data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value];
      }),
    ),
  );
}

/**
 * `<script nonce="…">code</script>`: the one way a page inlines a script (the bundles of
 * ./browser, see scripts.generated.ts), allowed by the response's CSP nonce (lib/script-csp.ts).
 * Script text is not escaped by HTML, so code that could end the element early (`</script`) or
 * make the parser look past its end (`<!--`) is refused, in any case.
 */
export function inlineScript(nonce: string, code: string): SafeHtml {
  if (/<\/script|<!--/i.test(code)) throw new Error('an inline script may not contain "</script" or "<!--"');
  return html`<script nonce="${nonce}">${new SafeHtml(code)}</script>`;
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:#1d2330;background:#f5f6f8}
main{max-width:46rem;margin:0 auto;padding:1rem}header{background:#1f3a5f;color:#fff;padding:.75rem 1rem}header a{color:#fff}
h1{font-size:1.4rem;margin:.5rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:1rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:minmax(7rem,auto) 1fr;gap:.25rem 1rem;margin:0}dt{color:#5b6472}dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
ol.history{padding-left:1.2rem}ol.history li{margin:.25rem 0}time{color:#5b6472;font-size:.9em}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}fieldset{border:1px solid #dde1e7;border-radius:6px}
fieldset label{font-weight:normal;display:flex;gap:.5rem;align-items:center;margin:.35rem 0}
textarea,select,input[type=text],input[type=email]{width:100%;font:inherit;padding:.5rem;border:1px solid #b9c0cb;border-radius:6px}
button{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:6px;background:#1f5fbf;color:#fff;cursor:pointer;margin-top:1rem}
button:focus,textarea:focus,select:focus,input:focus{outline:3px solid #f2b134;outline-offset:1px}
.notice{border-left:4px solid #1f5fbf}.error{border-left:4px solid #c0392b;color:#8e1f14}.ok{border-left:4px solid #2e8b57}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:999px;background:#e7eef9;color:#1f3a5f;font-size:.9em}
.lang{float:right;font-size:.9em}
main.wide{max-width:96rem}.scroll{overflow-x:auto}table.dense{border-collapse:collapse;width:100%;font-size:.9em;background:#fff}
table.dense th,table.dense td{border-bottom:1px solid #dde1e7;padding:.3rem .45rem;text-align:left;vertical-align:top}
table.dense th{background:#eef1f5;white-space:nowrap}table.dense td.summary{min-width:14rem}
.late{color:#8e1f14;font-weight:600}.soon{color:#7a4b00;font-weight:600}
@media print{header,nav,form,button,.lang,.no-print{display:none!important}body{background:#fff;color:#000;font-size:11pt}main{max-width:none;padding:0}section{border:0;border-radius:0;padding:0;margin:0 0 1rem;break-before:page}main>section:first-of-type,h1+section{break-before:auto}dd,li,td,p{white-space:pre-wrap;overflow:visible;overflow-wrap:anywhere}dl,li,tr{break-inside:avoid}h2{break-after:avoid}a{color:inherit;text-decoration:none}details:not([open])>*{display:block}}
`;

/** The desk's icon, inline (img-src allows data:), so no page makes a browser ask for a /favicon.ico that is not there. */
const FAVICON =
  "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0%200%2016%2016'%3E%3Crect%20width='16'%20height='16'%20rx='3'%20fill='%231f3a5f'/%3E%3Cpath%20d='M5%2012V4h3.5a2%202%200%200%201%200%204H5m3%200%203%204'%20stroke='%23fff'%20stroke-width='1.6'%20fill='none'/%3E%3C/svg%3E";

export function page(options: {
  title: string;
  language: Language;
  body: SafeHtml;
  langSwitch?: string;
  /** A page of wide tables: the main column takes the window's width. */
  wide?: boolean;
  /** Head elements of the page's own (a refresh). */
  head?: SafeHtml;
}): string {
  return `<!doctype html>
<html lang="${options.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="${FAVICON}">
<title>${escapeHtml(options.title)}</title>${options.head ? `\n${options.head.value}` : ''}
<style>${STYLE}</style>
</head>
<body>
<header>${options.langSwitch ? `<span class="lang"><a href="${escapeHtml(options.langSwitch)}">${options.language === 'zh-CN' ? 'English' : '中文'}</a></span>` : ''}<strong>${options.language === 'zh-CN' ? 'Redress 投诉处理' : 'Redress complaints'}</strong></header>
<main${options.wide ? ' class="wide"' : ''}>
<h1>${escapeHtml(options.title)}</h1>
${options.body.value}
</main>
</body>
</html>`;
}

/** Formats an instant for a person, in the desk's time zone. */
/**
 * A time as a person reads it, in the desk's time zone, which it names: `3 Dec 2026, 07:04
 * (UTC+8)`. A reader elsewhere knows what the time means.
 */
export function formatTime(iso: string | undefined, language: Language, timeZone: string): string {
  if (!iso) return '';
  const at = new Date(iso);
  const offset =
    dateFormat('en-US', timeZone, 'offset')
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  return `${dateFormat(language === 'zh-CN' ? 'zh-CN' : 'en-GB', timeZone, 'time').format(at)} (${offset.replace('GMT', 'UTC')})`;
}

/** Building a DateTimeFormat costs far more than using one: one per locale, zone and use, kept. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, timeZone: string, use: 'offset' | 'time'): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${use}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      locale,
      use === 'offset'
        ? { timeZone, timeZoneName: 'shortOffset' }
        : { timeZone, dateStyle: 'medium', timeStyle: 'short' },
    );
    dateFormats.set(key, format);
  }
  return format;
}
