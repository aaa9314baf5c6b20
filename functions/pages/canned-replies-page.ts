import { DESK_SCOPE, PLACEHOLDERS, type CannedReply } from '../domain/canned-replies';
import type { FieldError } from '../domain/field-errors';
import type { Language } from '../domain/language';
import type { StaffMember } from '../domain/staff';
import { html, page } from './layout';
import { staffNav } from './staff-pages';

/** /staff/canned-replies: every reply the member reads, and forms for the scopes they keep. */
export function cannedRepliesPage(input: {
  member: StaffMember;
  language: Language;
  nonce: string;
  replies: CannedReply[];
  keeps: string[];
  errors?: FieldError[];
  values?: Record<string, unknown>;
  notice?: string;
}): string {
  const { language, nonce } = input;
  const zh = language === 'zh-CN';
  const value = (name: string) => String(input.values?.[name] ?? '');
  const errorFor = (path: string) => {
    const error = input.errors?.find((e) => e.path === path);
    return error ? html`<p id="${path}-error" class="error" role="alert">${error.message}</p>` : html``;
  };
  const scopeName = (scope: string) => (scope === DESK_SCOPE ? (zh ? '全部门' : 'Whole desk') : scope);
  const action = `/staff/canned-replies?lang=${language}`;
  const items = input.replies.map(
    (
      reply,
    ) => html`<li><section><h3 style="margin-top:0">${reply.title} <span class="badge">${scopeName(reply.scope)}${reply.seeded ? (zh ? ' · 配置' : ' · config') : ''}</span></h3>
<dl><dt>中文</dt><dd>${reply.text['zh-CN']}</dd><dt>English</dt><dd>${reply.text.en}</dd></dl>${
      !reply.seeded && input.keeps.includes(reply.scope)
        ? html`<form method="post" action="${action}"><input type="hidden" name="nonce" value="${nonce}"><input type="hidden" name="delete" value="1"><input type="hidden" name="scope" value="${reply.scope}"><input type="hidden" name="id" value="${reply.id}"><button type="submit">${zh ? '删除' : 'Delete'}</button></form>`
        : html``
    }</section></li>`,
  );
  return page({
    title: zh ? '常用回复' : 'Canned replies',
    language,
    langSwitch: `/staff/canned-replies?lang=${zh ? 'en' : 'zh-CN'}`,
    body: html`${staffNav(input.member, language, nonce)}
${input.notice ? html`<section class="ok" role="status"><p>${input.notice}</p></section>` : html``}
<section><p>${zh ? '可用占位符：' : 'Placeholders: '}${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}</p></section>
<ol style="list-style:none;padding:0">${items}</ol>
${
  input.keeps.length
    ? html`<section aria-labelledby="new-reply"><h2 id="new-reply">${zh ? '新增常用回复' : 'New canned reply'}</h2><form method="post" action="${action}"><input type="hidden" name="nonce" value="${nonce}">
<label for="scope">${zh ? '范围' : 'Scope'}</label><select id="scope" name="scope">${input.keeps.map((s) => html`<option value="${s}"${value('scope') === s ? html` selected` : html``}>${scopeName(s)}</option>`)}</select>${errorFor('scope')}
<label for="title">${zh ? '标题' : 'Title'}</label><input type="text" id="title" name="title" maxlength="120" required value="${value('title')}">${errorFor('title')}
<label for="textZh">${zh ? '中文内容' : 'Chinese text'}</label><textarea id="textZh" name="textZh" rows="4" required>${value('textZh')}</textarea>${errorFor('textZh')}
<label for="textEn">${zh ? '英文内容' : 'English text'}</label><textarea id="textEn" name="textEn" rows="4" required>${value('textEn')}</textarea>${errorFor('textEn')}
<button type="submit">${zh ? '保存' : 'Save'}</button></form></section>`
    : html``
}`,
  });
}
