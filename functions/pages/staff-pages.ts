import { platformActionsSection } from './platform-actions';
import { caseArchiveLinks } from './case-archive-links';
import { staffRightsSection } from './rights-sections';
import { mayReassign, type QueueFilters, seesEverything, type StaffMember } from '../domain/staff';
import { STAFF_CHANNELS, SUBJECT_TYPES, LIMITS } from '../domain/complaint';
import type { DeskConfig } from '../domain/config';
import { escalationLevelName, findCategory, teamName } from '../domain/desk';
import type { FieldError } from '../domain/field-errors';
import type { Bilingual, Language } from '../domain/language';
import { STAFF_STATUS_LABELS, STEP_LABELS } from '../domain/lifecycle';
import type { QueuePage, StaffCaseView } from './staff-views';
import { complaintDetails, staffHistory } from './complaint-view';
import { declaredFilesList, evidenceList } from './evidence-list';
import { formatTime, html, page, type SafeHtml } from './layout';
import { taskFormPage } from './task-pages';
import { CHANNEL_LABELS, SUBJECT_TYPE_LABELS } from './labels';
import { conversationSection, staffThread } from './conversation';
import { entryEvidence } from './entry-evidence';
import { relatedSection } from './related-cases';

/** The staff desk's pages: sign-in, the queue, a case, a complaint entered by staff. Both languages. */

const t = (language: Language, text: Bilingual) => text[language];
const other = (language: Language): Language => (language === 'zh-CN' ? 'en' : 'zh-CN');

const ROLE_LABELS: Record<StaffMember['role'], Bilingual> = {
  handler: { 'zh-CN': '处理人员', en: 'Handler' },
  supervisor: { 'zh-CN': '主管', en: 'Supervisor' },
  manager: { 'zh-CN': '经理', en: 'Manager' },
  admin: { 'zh-CN': '管理员', en: 'Operator' },
};

const DEADLINE_LABELS: Record<string, Bilingual> = {
  'on-time': { 'zh-CN': '按期', en: 'On time' },
  'due-soon': { 'zh-CN': '4 小时内到期', en: 'Due within 4 h' },
  late: { 'zh-CN': '已超时', en: 'Late' },
};

export function signInPage(language: Language, notice?: 'sent' | 'signed-out'): string {
  const zh = language === 'zh-CN';
  const message =
    notice === 'sent'
      ? html`<section class="ok" role="status"><p>${zh ? '如果此地址属于本工作台，登录链接已发送至该邮箱，15 分钟内有效。' : 'If this address belongs to the desk, a sign-in link is on its way; it works for 15 minutes.'}</p></section>`
      : notice === 'signed-out'
        ? html`<section class="notice" role="status"><p>${zh ? '您已退出登录。' : 'You are signed out.'}</p></section>`
        : html``;
  return page({
    title: zh ? '工作台登录' : 'Staff desk sign-in',
    language,
    langSwitch: `/staff?lang=${other(language)}`,
    body: html`${message}<section><form method="post" action="/staff/sign-in?lang=${language}">
<label for="email">${zh ? '工作邮箱' : 'Work email'}</label>
<input type="email" id="email" name="email" required maxlength="254" autocomplete="email">
<button type="submit">${zh ? '发送登录链接' : 'Email me a sign-in link'}</button>
</form><p><small>${zh ? '我们会向工作台成员的邮箱发送一次性登录链接。' : 'Desk members get a single-use sign-in link by email.'}</small></p></section>`,
  });
}

export function signInLinkPage(language: Language, linkId: string, nonce: string | undefined): string {
  const zh = language === 'zh-CN';
  if (!nonce) {
    return page({
      title: zh ? '链接无效' : 'Link not valid',
      language,
      body: html`<section class="error" role="status"><p>${zh ? '此登录链接已使用、已过期或无效。' : 'This sign-in link was used, has expired, or is not valid.'} <a href="/staff?lang=${language}">${zh ? '重新获取登录链接' : 'Ask for a new link'}</a></p></section>`,
    });
  }
  return page({
    title: zh ? '登录工作台' : 'Sign in to the staff desk',
    language,
    langSwitch: `/staff/sign-in/${linkId}?lang=${other(language)}`,
    body: html`<section><p>${zh ? '点击按钮登录（仅打开此页面不会登录）。' : 'Press the button to sign in (opening this page signs nobody in).'}</p>
<form method="post" action="/staff/sign-in/${linkId}?lang=${language}"><input type="hidden" name="nonce" value="${nonce}"><button type="submit">${zh ? '登录' : 'Sign in'}</button></form></section>`,
  });
}

/** The desk's navigation, with the sign-out form (it carries the page nonce). */
export function staffNav(member: StaffMember, language: Language, nonce: string): SafeHtml {
  const zh = language === 'zh-CN';
  return html`<nav aria-label="${zh ? '工作台' : 'Staff desk'}" class="notice" style="background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:.5rem 1rem;margin:0 0 1rem">
<p style="margin:.25rem 0;overflow-wrap:anywhere">${member.email} · <span class="badge">${t(language, ROLE_LABELS[member.role])}</span></p>
<p style="margin:.25rem 0"><a href="/staff/queue?lang=${language}">${zh ? '我的待办' : 'My queue'}</a> · <a href="/staff/cases?lang=${language}">${zh ? '案件' : 'Cases'}</a> · <a href="/staff/board?lang=${language}">${zh ? '风险看板' : 'At-risk board'}</a> · <a href="/staff/complaints?lang=${language}">${zh ? '代录投诉' : 'Enter a complaint'}</a>${member.role === 'handler' ? html`` : html` · <a href="/staff/analytics?lang=${language}">${zh ? '统计分析' : 'Analytics'}</a>`}${seesEverything(member) ? html` · <a href="/staff/webhooks?lang=${language}">${zh ? '推送记录' : 'Webhook deliveries'}</a>` : html``}</p>
<form method="post" action="/staff/sign-out?lang=${language}" style="margin:0"><input type="hidden" name="nonce" value="${nonce}"><button type="submit" style="margin-top:.25rem;padding:.3rem .9rem">${zh ? '退出登录' : 'Sign out'}</button></form></nav>`;
}

function filterForm(filters: QueueFilters, language: Language, config: DeskConfig): SafeHtml {
  const zh = language === 'zh-CN';
  const field = (name: keyof QueueFilters, label: Bilingual) =>
    html`<label for="f-${name}">${t(language, label)}</label><input type="text" id="f-${name}" name="${name}" value="${String(filters[name] ?? '')}">`;
  return html`<section aria-labelledby="filters"><h2 id="filters">${zh ? '筛选' : 'Filter'}</h2><form method="get" action="/staff/queue">
<input type="hidden" name="lang" value="${language}">
${field('q', { 'zh-CN': '搜索（投诉编号或投诉人邮箱）', en: 'Search (complaint number or complainant email)' })}
<label for="f-category">${zh ? '类别' : 'Category'}</label><select id="f-category" name="category"><option value="">—</option>${config.categories.map((c) => html`<option value="${c.id}"${filters.category === c.id ? html` selected` : html``}>${c.name[language]}</option>`)}</select>
<label for="f-team">${zh ? '团队' : 'Team'}</label><select id="f-team" name="team"><option value="">—</option>${Object.keys(config.teams).map((name) => html`<option value="${name}"${filters.team === name ? html` selected` : html``}>${teamName(config, name, language)}</option>`)}</select>
<label for="f-status">${zh ? '状态' : 'Status'}</label><select id="f-status" name="status"><option value="">—</option>${Object.entries(STAFF_STATUS_LABELS).map(([s, l]) => html`<option value="${s}"${filters.status === s ? html` selected` : html``}>${l[language]}</option>`)}</select>
${field('assignee', { 'zh-CN': '处理人（邮箱）', en: 'Assignee (email)' })}
<label><input type="checkbox" name="late" value="1"${filters.late ? html` checked` : html``}> ${zh ? '只看已超时' : 'Late only'}</label>
<button type="submit">${zh ? '筛选' : 'Apply'}</button></form></section>`;
}

export function queuePageHtml(input: {
  member: StaffMember;
  queue: QueuePage;
  filters: QueueFilters;
  language: Language;
  nonce: string;
  config: DeskConfig;
  nextHref?: string;
}): string {
  const { language, config } = input;
  const zh = language === 'zh-CN';
  const items = input.queue.items.map((item) => {
    const category = findCategory(config, item.category)?.name[language] ?? item.category;
    const tone = item.deadlineState === 'late' ? 'error' : item.deadlineState === 'due-soon' ? 'notice' : 'ok';
    return html`<li><section class="${tone}" data-deadline-state="${item.deadlineState}"><h2 style="margin-top:0;overflow-wrap:anywhere"><a href="/staff/complaints/${item.id}?lang=${language}">${item.number}</a>${item.flagged ? html` <span class="badge" title="${zh ? '内容待审' : 'Held for review'}">⚑ ${zh ? '待审' : 'Flagged'}</span>` : html``}</h2>
<dl><dt>${zh ? '类别' : 'Category'}</dt><dd>${category}</dd>
<dt>${zh ? '优先级' : 'Priority'}</dt><dd>${item.priority ?? '—'}</dd>
<dt>${zh ? '环节' : 'Step'}</dt><dd>${item.step ? STEP_LABELS[item.step][language] : STAFF_STATUS_LABELS[item.status][language]}</dd>
<dt>${zh ? '处理人' : 'Holder'}</dt><dd>${item.assignee ?? '—'}${item.level ? ` · ${escalationLevelName(config, item.level, language)}` : ''}</dd>
<dt>${zh ? '期限' : 'Due'}</dt><dd>${dueText(item, language, config)}</dd></dl></section></li>`;
  });
  const fromMe = (input.queue.escalatedFromMe ?? []).map(
    (item) =>
      html`<li><a href="/staff/complaints/${item.id}?lang=${language}">${item.number}</a> · ${item.assignee ?? '—'} · ${dueText(item, language, config)}</li>`,
  );
  return page({
    title: zh ? '待办队列' : 'Queue',
    language,
    langSwitch: `/staff/queue?lang=${other(language)}`,
    body: html`${staffNav(input.member, language, input.nonce)}
${filterForm(input.filters, language, config)}
${items.length ? html`<ol style="list-style:none;padding:0;margin:0">${items}</ol>` : html`<section><p role="status">${emptyQueueText(input.filters, language)}</p></section>`}
${input.nextHref ? html`<p><a href="${input.nextHref}">${zh ? '下一页' : 'Next page'}</a></p>` : html``}
${fromMe.length ? html`<section aria-labelledby="escalated-from-me"><h2 id="escalated-from-me">${zh ? '从我这里上报的案件' : 'Escalated from me'}</h2><ul>${fromMe}</ul></section>` : html``}`,
  });
}

/** What an empty queue says: a search that found nothing is no match, not an empty day. */
function emptyQueueText(filters: QueueFilters, language: Language): string {
  const zh = language === 'zh-CN';
  if (filters.q) return zh ? `没有与“${filters.q}”匹配的投诉。` : `No complaint matches “${filters.q}”.`;
  if (filters.status || filters.category || filters.team || filters.assignee || filters.late)
    return zh ? '没有符合这些筛选条件的待办。' : 'No open task matches these filters.';
  return zh ? '没有待办。' : 'Nothing to do.';
}

/** A task's due time and where it stands: a late task says since when (its deadline never moves). */
function dueText(item: QueuePage['items'][number], language: Language, config: DeskConfig): SafeHtml {
  const due = formatTime(item.deadlineAt, language, config.timeZone);
  if (item.deadlineState === 'late')
    return html`<strong>${language === 'zh-CN' ? `自 ${due} 起已超时` : `Late since ${due}`}</strong>`;
  return html`${due} · <strong>${t(language, DEADLINE_LABELS[item.deadlineState]!)}</strong>`;
}

/** What the desk adds to a case: the holder and deadline, the evidence, reassigning and notes. */
export function caseExtras(
  view: StaffCaseView,
  member: StaffMember,
  language: Language,
  nonce: string,
  config: DeskConfig,
  notice?: string,
  scriptNonce?: string,
): SafeHtml {
  const zh = language === 'zh-CN';
  const { complaint, task } = view;
  const action = (path: string) => `/staff/complaints/${complaint.id}/${path}?lang=${language}`;
  return html`${staffNav(member, language, nonce)}
${notice ? html`<section class="ok" role="status"><p>${notice}</p></section>` : html``}
<section aria-labelledby="task"><h2 id="task">${zh ? '当前任务' : 'Current task'}</h2>${
    task
      ? html`<dl><dt>${zh ? '环节' : 'Step'}</dt><dd>${STEP_LABELS[task.step][language]}</dd><dt>${zh ? '处理人' : 'Holder'}</dt><dd>${task.assignedTo}</dd><dt>${zh ? '期限' : 'Due'}</dt><dd>${formatTime(task.dueAt, language, config.timeZone)}</dd></dl>${view.mayAct ? html`` : html`<p>${zh ? '您不是此任务的处理人或其上级，不能在此作出决定。' : 'You neither hold this task nor are above its holder, so you cannot decide it here.'}</p>`}`
      : html`<p>${complaint.assignee ? `${zh ? '等待' : 'Waiting for'} ${complaint.assignee}` : STAFF_STATUS_LABELS[complaint.status][language]}</p>`
  }</section>
${conversationSection(view, language, nonce, config, scriptNonce)}
${relatedSection(view, language, nonce, config)}
<section aria-labelledby="evidence"><h2 id="evidence">${zh ? '证据' : 'Evidence'}</h2>${evidenceList(view.evidence, language, config.timeZone)}${declaredFilesList(view.declared, language)}</section>
${caseArchiveLinks(`/staff/complaints/${complaint.id}`, '', language)}
${staffRightsSection({ complaint, language, timeZone: config.timeZone, nonce, mayHold: mayReassign(member, config, complaint.category) })}
${
  view.reassignTo.length
    ? html`<section aria-labelledby="reassign"><h2 id="reassign">${zh ? '改派' : 'Reassign'}</h2><form method="post" action="${action('reassignment')}"><input type="hidden" name="nonce" value="${nonce}">
<label for="to">${zh ? '改派给' : 'Reassign to'}</label><select id="to" name="to" required>${view.reassignTo.map((m) => html`<option value="${m}">${m}</option>`)}</select>
<label for="reassign-reason">${zh ? '理由' : 'Reason'}</label><textarea id="reassign-reason" name="reason" rows="2" maxlength="2000" required></textarea>
<button type="submit">${zh ? '改派' : 'Reassign'}</button></form></section>`
    : html``
}
<section aria-labelledby="notes"><h2 id="notes">${zh ? '内部备注' : 'Internal note'}</h2><form method="post" action="${action('notes')}"><input type="hidden" name="nonce" value="${nonce}">
<label for="note-text">${zh ? '备注（仅工作人员可见）' : 'Note (staff only)'}</label><textarea id="note-text" name="note" rows="3" maxlength="2000" required></textarea>
<button type="submit">${zh ? '添加备注' : 'Add note'}</button></form></section>`;
}

/** A case the reader cannot decide here: everything, without the decision form. */
export function caseReadPage(
  view: StaffCaseView,
  member: StaffMember,
  language: Language,
  nonce: string,
  config: DeskConfig,
  notice?: string,
  scriptNonce?: string,
): string {
  const zh = language === 'zh-CN';
  return page({
    title: `${zh ? '投诉' : 'Complaint'} ${view.complaint.number}`,
    language,
    langSwitch: `/staff/complaints/${view.complaint.id}?lang=${other(language)}`,
    body: html`${caseExtras(view, member, language, nonce, config, notice, scriptNonce)}
<section aria-labelledby="details"><h2 id="details">${zh ? '投诉' : 'Complaint'}</h2>${complaintDetails(view.complaint, language, config, true)}</section>
${platformActionsSection(view.complaint, view.events, config, language, config.timeZone)}
<section aria-labelledby="history"><h2 id="history">${zh ? '记录' : 'History'}</h2>${staffHistory(view.events, language, config.timeZone)}</section>`,
  });
}

export function messagePage(
  language: Language,
  title: Bilingual,
  text: Bilingual,
  tone: 'ok' | 'notice' | 'error',
  back?: string,
): string {
  return page({
    title: title[language],
    language,
    body: html`<section class="${tone}" role="status"><p>${text[language]}</p>${back ? html`<p><a href="${back}">${language === 'zh-CN' ? '返回' : 'Back'}</a></p>` : html``}</section>`,
  });
}

/** The form for a complaint taken by phone or message, with every bad field named beside it. */
export function newComplaintPage(input: {
  member: StaffMember;
  language: Language;
  nonce: string;
  config: DeskConfig;
  values?: Record<string, string | string[] | undefined>;
  errors?: FieldError[];
  filed?: { number: string; id: string };
  /** The nonce of the script that uploads the caller's files (entry-evidence.ts); none, no script. */
  scriptNonce?: string;
}): string {
  const { language, config } = input;
  const evidence = entryEvidence(language, config, input.scriptNonce);
  const zh = language === 'zh-CN';
  const value = (name: string) => [input.values?.[name] ?? ''].flat()[0] ?? '';
  const errorFor = (path: string) => {
    const error = input.errors?.find((e) => e.path === path);
    return error ? html`<p id="${path}-error" class="error" role="alert">${error.message}</p>` : html``;
  };
  const text = (name: string, label: Bilingual, max: number, type = 'text', required = false) =>
    html`<label for="${name}">${t(language, label)}</label><input type="${type}" id="${name}" name="${name}" maxlength="${max}" value="${value(name)}" aria-describedby="${name}-error"${required ? html` required` : html``}>${errorFor(name)}`;
  const area = (name: string, label: Bilingual, max: number, required = false) =>
    html`<label for="${name}">${t(language, label)}</label><textarea id="${name}" name="${name}" rows="4" maxlength="${max}" aria-describedby="${name}-error"${required ? html` required` : html``}>${value(name)}</textarea>${errorFor(name)}`;
  const select = (name: string, label: Bilingual, options: readonly (readonly [string, string])[]) =>
    html`<label for="${name}">${t(language, label)}</label><select id="${name}" name="${name}" aria-describedby="${name}-error">${options.map(([v, l]) => html`<option value="${v}"${value(name) === v ? html` selected` : html``}>${l}</option>`)}</select>${errorFor(name)}`;
  const otherErrors = (input.errors ?? []).filter(
    (e) =>
      ![
        'channel',
        'complainant.name',
        'complainant.email',
        'complainant.phone',
        'complainant.contactBy',
        'category',
        'subject.type',
        'subject.ref',
        'subject.name',
        'description',
        'desiredOutcome',
        'contactHistory',
        'evidence',
      ].includes(e.path),
  );
  return page({
    title: zh ? '代录投诉' : 'Enter a complaint',
    language,
    langSwitch: `/staff/complaints?lang=${other(language)}`,
    body: html`${staffNav(input.member, language, input.nonce)}
${input.filed ? html`<section class="ok" role="status"><p>${zh ? `已登记投诉 ${input.filed.number}，投诉人将按其选择的方式（邮件或短信）收到受理确认。` : `Complaint ${input.filed.number} is filed; the complainant gets the acknowledgement by email or text, as they chose.`} <a href="/staff/complaints/${input.filed.id}?lang=${language}">${zh ? '查看' : 'Open it'}</a></p></section>` : html``}
${otherErrors.length ? html`<section class="error" role="alert"><ul>${otherErrors.map((e) => html`<li>${e.path}: ${e.message}</li>`)}</ul></section>` : html``}
<section><form method="post" action="/staff/complaints?lang=${language}" ${evidence.form}><input type="hidden" name="nonce" value="${input.nonce}">
${select(
  'channel',
  { 'zh-CN': '渠道', en: 'Channel' },
  STAFF_CHANNELS.map((c) => [c, CHANNEL_LABELS[c][language]] as const),
)}
${text('complainant.name', { 'zh-CN': '投诉人姓名', en: "Complainant's name" }, LIMITS.name, 'text', true)}
${text('complainant.email', { 'zh-CN': '投诉人邮箱（邮箱或手机号码至少填一项）', en: "Complainant's email (an email or a mobile number, at least one)" }, LIMITS.email, 'email')}
${text('complainant.phone', { 'zh-CN': '手机号码（只有手机号码时，所有通知以短信发送）', en: 'Mobile number (with no email, every notice goes by text)' }, LIMITS.phone, 'tel')}
${select('complainant.contactBy', { 'zh-CN': '通知方式', en: 'Notify by' }, [
  ['', language === 'zh-CN' ? '默认（有邮箱则邮件，否则短信）' : 'Default (email if given, else text)'],
  ['email', language === 'zh-CN' ? '邮件' : 'Email'],
  ['sms', language === 'zh-CN' ? '短信' : 'Text (SMS)'],
  ['both', language === 'zh-CN' ? '邮件和短信' : 'Email and text'],
])}
${select('complainant.language', { 'zh-CN': '投诉人语言', en: "Complainant's language" }, [
  ['zh-CN', '中文'],
  ['en', 'English'],
])}
${select(
  'category',
  { 'zh-CN': '类别', en: 'Category' },
  config.categories.map((c) => [c.id, c.name[language]] as const),
)}
${select(
  'subject.type',
  { 'zh-CN': '投诉对象类型', en: 'Subject type' },
  SUBJECT_TYPES.map((s) => [s, SUBJECT_TYPE_LABELS[s]?.[language] ?? s] as const),
)}
${text('subject.name', { 'zh-CN': '投诉对象名称', en: 'Subject name' }, LIMITS.subjectName)}
${text('subject.ref', { 'zh-CN': '投诉对象链接或编号', en: 'Subject link or id' }, LIMITS.ref)}
${area('description', { 'zh-CN': '投诉内容', en: 'Description' }, LIMITS.description.max, true)}
${area('desiredOutcome', { 'zh-CN': '处理要求（可选）', en: 'Desired outcome (optional)' }, LIMITS.desiredOutcome)}
${area('contactHistory', { 'zh-CN': '沟通情况（可选）', en: 'Contact so far (optional)' }, LIMITS.contactHistory)}
${evidence.fields}${errorFor('evidence')}
<button type="submit">${zh ? '登记投诉' : 'File the complaint'}</button></form></section>${evidence.script}`,
  });
}

/**
 * A case page: with the decision form of the task page (same fields, same values) when the reader
 * may decide its current task, else everything without it. The form posts back to the case URL.
 */
export function casePageHtml(input: {
  view: StaffCaseView;
  member: StaffMember;
  language: Language;
  nonce: string;
  config: DeskConfig;
  values?: Record<string, string | string[] | undefined>;
  errors?: FieldError[];
  notice?: string;
  /** The nonce of the message form's upload script (conversation.ts); none, no script. */
  scriptNonce?: string;
}): string {
  const { view, member, language, nonce, config } = input;
  const task = view.task;
  if (!task || !view.mayAct)
    return caseReadPage(view, member, language, nonce, config, input.notice, input.scriptNonce);
  return taskFormPage({
    step: task.step,
    role: task.role,
    level: task.level,
    complaint: view.complaint,
    events: view.events,
    language,
    config,
    nonce,
    deadlineAt: task.dueAt,
    question: task.question,
    values: input.values,
    errors: input.errors,
    evidence: caseExtras(view, member, language, nonce, config, input.notice, input.scriptNonce),
  });
}

/** What a case page says after a desk action (`?notice=`). */
export function caseNotice(notice: string | undefined, language: Language): string | undefined {
  const notices: Record<string, Bilingual> = {
    reassigned: {
      'zh-CN': '任务已改派，新处理人已收到链接。',
      en: 'The task is reassigned; its new holder has a link.',
    },
    noted: { 'zh-CN': '内部备注已添加。', en: 'The internal note is added.' },
    'message-sent': { 'zh-CN': '消息已发送。', en: 'The message is sent.' },
    merged: { 'zh-CN': '案件已并入本投诉。', en: 'The case is merged into this one.' },
  };
  return notice && notices[notice] ? notices[notice][language] : undefined;
}

/** A case as JSON: never the task's token or nonce. */
export function caseJson(view: StaffCaseView) {
  const {
    taskToken: _token,
    nonce: _nonce,
    ...task
  } = view.task ?? ({} as Partial<NonNullable<StaffCaseView['task']>>);
  return {
    complaint: view.complaint,
    events: view.events,
    evidence: view.evidence,
    declared: view.declared ?? [],
    task: view.task ? task : null,
    mayAct: view.mayAct,
    reassignTo: view.reassignTo,
    thread: staffThread(view),
    related: view.related ?? null,
  };
}

/** A sign-in link that signs nobody in (used, expired or unknown), as a JSON reader is told. */
export function signInLinkGone(language: Language) {
  const zh = language === 'zh-CN';
  return {
    status: 410,
    language,
    title: zh ? '链接无效' : 'Link not valid',
    message: zh
      ? '此登录链接已使用、已过期或无效，请重新申请。'
      : 'This sign-in link was used, has expired or is not valid; ask for a new one.',
  };
}
