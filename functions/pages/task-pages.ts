import type { ComplaintRecord } from '../domain/complaint';
import type { DeskConfig } from '../domain/config';
import type { FieldError } from '../domain/field-errors';
import type { ComplaintEvent } from '../domain/history';
import type { Language } from '../domain/language';
import { REJECTION_LABELS, REJECTION_REASONS, STEP_LABELS, type HumanStep, type StepDecision } from '../domain/lifecycle';
import { complaintDetails, staffHistory } from './complaint-view';
import { formatTime, html, page, type SafeHtml } from './layout';

const DECISION_LABELS: Record<string, Record<Language, string>> = {
  accept: { 'zh-CN': '受理', en: 'Accept' },
  reject: { 'zh-CN': '不予受理', en: 'Reject' },
};

export function decisionLabel(decision: StepDecision, language: Language): string {
  const base = DECISION_LABELS[decision.decision]?.[language] ?? decision.decision;
  return decision.decision === 'reject' ? `${base}（${REJECTION_LABELS[decision.reason][language]}）` : base;
}

function acceptanceForm(language: Language, values: Record<string, string | undefined>, errorFor: (path: string) => SafeHtml): SafeHtml {
  const zh = language === 'zh-CN';
  const checked = (v: string) => (values.decision === v ? html` checked` : html``);
  return html`<fieldset aria-describedby="decision-error"><legend>${zh ? '决定' : 'Decision'}</legend>
<label><input type="radio" name="decision" value="accept" required${checked('accept')}> ${zh ? '受理：属实、有效、属于受理范围' : 'Accept: genuine, valid and in scope'}</label>
<label><input type="radio" name="decision" value="reject"${checked('reject')}> ${zh ? '不予受理' : 'Reject'}</label>
${errorFor('decision')}</fieldset>
<label for="reason">${zh ? '不予受理的理由（选择“不予受理”时必填）' : 'Reason for rejecting (required to reject)'}</label>
<select id="reason" name="reason" aria-describedby="reason-error"><option value="">—</option>${REJECTION_REASONS.map(
    (reason) => html`<option value="${reason}"${values.reason === reason ? html` selected` : html``}>${REJECTION_LABELS[reason][language]}</option>`,
  )}</select>${errorFor('reason')}`;
}

export function taskFormPage(input: {
  step: HumanStep;
  complaint: ComplaintRecord;
  events: ComplaintEvent[];
  language: Language;
  config: DeskConfig;
  nonce: string;
  deadlineAt: string;
  values?: Record<string, string | undefined>;
  errors?: FieldError[];
}): string {
  const { language } = input;
  const zh = language === 'zh-CN';
  const errors = input.errors ?? [];
  const errorFor = (path: string) => {
    const error = errors.find((e) => e.path === path);
    return error ? html`<p id="${path}-error" class="error" role="alert">${error.message}</p>` : html``;
  };
  const values = input.values ?? {};
  return page({
    title: `${STEP_LABELS[input.step][language]} · ${input.complaint.number}`,
    language,
    langSwitch: `?lang=${zh ? 'en' : 'zh-CN'}`,
    body: html`${errors.length ? html`<section class="error" role="alert"><p>${zh ? '请修改标出的内容后再提交。' : 'Please correct the marked fields and submit again.'}</p></section>` : html``}
<section class="notice"><p>${zh ? '请在以下时间前作出决定：' : 'Please decide by '}<strong>${formatTime(input.deadlineAt, language, input.config.timeZone)}</strong>${zh ? '。仅打开此页面不会作出任何决定。' : '. Opening this page decides nothing.'}</p></section>
<section aria-labelledby="details"><h2 id="details">${zh ? '投诉' : 'Complaint'}</h2>${complaintDetails({ ...input.complaint, deadlineAt: input.deadlineAt }, language, input.config, true)}</section>
<section aria-labelledby="history"><h2 id="history">${zh ? '记录' : 'History'}</h2>${staffHistory(input.events, language, input.config.timeZone)}</section>
<section aria-labelledby="decide"><h2 id="decide">${zh ? '您的决定' : 'Your decision'}</h2>
<form method="post" action="?lang=${language}">
<input type="hidden" name="nonce" value="${input.nonce}">
${acceptanceForm(language, values, errorFor)}
<label for="note">${zh ? '备注（可选，仅内部可见）' : 'Note (optional, staff only)'}</label>
<textarea id="note" name="note" rows="4" maxlength="2000">${values.note ?? ''}</textarea>${errorFor('note')}
<button type="submit">${zh ? '提交决定' : 'Submit decision'}</button>
</form></section>`,
  });
}

/** A page that tells the visitor what happened to the task, instead of a form. */
export function taskMessagePage(input: { title: string; message: string; language: Language; tone?: 'ok' | 'notice' | 'error' }): string {
  return page({ title: input.title, language: input.language, body: html`<section class="${input.tone ?? 'notice'}" role="status"><p>${input.message}</p></section>` });
}
