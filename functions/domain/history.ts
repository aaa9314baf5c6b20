import type { Bilingual, Language } from './language';
import { HUMAN_STEPS, STEP_DEFINITIONS, STEP_LABELS, type HumanStep } from './lifecycle';

/**
 * Every change to a complaint is one of these, appended, never rewritten. `complainant` is the
 * label the complainant sees; actions without one are staff-only.
 */
export const EVENT_LABELS = {
  'complaint.received': {
    staff: { 'zh-CN': '收到投诉', en: 'Complaint received' },
    complainant: { 'zh-CN': '投诉已提交', en: 'Complaint filed' },
  },
  'complaint.refused': {
    staff: { 'zh-CN': '不予受理（范围外）', en: 'Refused at intake (out of scope)' },
    complainant: { 'zh-CN': '不属于受理范围', en: 'Outside what we handle' },
  },
  'complaint.flagged': {
    staff: { 'zh-CN': '内容待审（涉及隐私或人身攻击）', en: 'Held for review (private data or personal attack)' },
  },
  'complaint.linked-duplicate': {
    staff: { 'zh-CN': '关联为重复投诉', en: 'Linked as a duplicate' },
    complainant: { 'zh-CN': '已并入您之前的投诉', en: 'Joined to your earlier complaint' },
  },
  'complainant.banned': { staff: { 'zh-CN': '投诉人被限制投诉', en: 'Complainant banned' } },
  'workflow.started': { staff: { 'zh-CN': '流程已启动', en: 'Workflow started' } },
  'workflow.redriven': {
    staff: { 'zh-CN': '流程已停滞，已从当前步骤重新启动', en: 'Workflow had stopped; restarted at the current step' },
  },
  'delay.notified': {
    staff: { 'zh-CN': '已告知投诉人处理延误', en: 'Complainant told the case is late' },
    complainant: {
      'zh-CN': '处理已延误，我们已告知新的预计答复时间',
      en: 'Running late: we told you when to expect an answer',
    },
  },
  'acknowledgement.sent': {
    staff: { 'zh-CN': '已发送受理确认', en: 'Acknowledgement sent' },
    // By email or text, as the complainant asked.
    complainant: { 'zh-CN': '已发送受理确认', en: 'Acknowledgement sent' },
  },
  'mail.undelivered': {
    staff: {
      'zh-CN': '邮件未能送达（请另行联系收件人）',
      en: 'An email could not be delivered (reach the recipient another way)',
    },
  },
  'text.undelivered': {
    staff: {
      'zh-CN': '短信未能送达（请另行联系投诉人）',
      en: 'A text could not be delivered (reach the complainant another way)',
    },
  },
  'text.withheld': {
    staff: {
      'zh-CN': '短信未发送：该号码已回复退订（请另行联系投诉人）',
      en: 'A text was not sent: the number opted out (reach the complainant another way)',
    },
  },
  'acknowledgement.withheld': {
    staff: {
      'zh-CN': '未发送受理确认邮件（该邮箱尚未确认有效，且本小时发往此类邮箱的确认已达上限）',
      en: 'Acknowledgement not emailed (the address has not yet shown it is real, and this hour’s acknowledgements to such addresses reached their cap)',
    },
  },
  'evidence.added': {
    staff: { 'zh-CN': '收到证据', en: 'Evidence received' },
    complainant: { 'zh-CN': '证据已上传', en: 'Evidence uploaded' },
  },
  'evidence.quarantined': {
    staff: { 'zh-CN': '证据不合规，已隔离', en: 'Evidence quarantined' },
    complainant: {
      'zh-CN': '上传的文件不符合要求，未被采用',
      en: 'An uploaded file did not meet the rules and was set aside',
    },
  },
  'evidence.declared': {
    staff: {
      'zh-CN': '登记时声明了来电人的证据（待上传）',
      en: 'The caller’s evidence declared at entry (to be uploaded)',
    },
  },
  'task.assigned': {
    staff: { 'zh-CN': '已分派', en: 'Task assigned' },
    complainant: { 'zh-CN': '已分派处理人员', en: 'Assigned to a handler' },
  },
  'task.escalated': {
    staff: { 'zh-CN': '超时上报', en: 'Escalated after a missed deadline' },
    complainant: { 'zh-CN': '处理超时，已上报', en: 'Deadline missed; escalated' },
  },
  'task.reissued': { staff: { 'zh-CN': '任务链接已重新发送', en: 'Task link sent again' } },
  'deadline.missed': {
    staff: { 'zh-CN': '错过期限', en: 'Deadline missed' },
    complainant: { 'zh-CN': '处理超时，已上报', en: 'Deadline missed; escalated' },
  },
  'decision.recorded': {
    staff: { 'zh-CN': '已作出决定', en: 'Decision recorded' },
    complainant: { 'zh-CN': '已作出处理决定', en: 'Decision made' },
  },
  'information.requested': {
    staff: { 'zh-CN': '要求补充信息', en: 'More information requested' },
    complainant: { 'zh-CN': '请您补充信息', en: 'We asked you for more information' },
  },
  'information.provided': {
    staff: { 'zh-CN': '投诉人已补充信息', en: 'Complainant answered' },
    complainant: { 'zh-CN': '您已补充信息', en: 'You answered' },
  },
  'complainant.replied': {
    staff: { 'zh-CN': '投诉人来信', en: 'Complainant wrote by email' },
    complainant: { 'zh-CN': '您的来信已记入', en: 'Your email was added' },
  },
  'complainant.replied-after-closing': {
    staff: { 'zh-CN': '投诉人在结案后来信（无需处理）', en: 'Complainant wrote by email after closing (nothing due)' },
    complainant: { 'zh-CN': '您在结案后的来信已记入', en: 'Your email after closing was added' },
  },
  'statement.requested': { staff: { 'zh-CN': '已请被投诉方说明', en: "Respondent's statement requested" } },
  'statement.received': { staff: { 'zh-CN': '收到被投诉方说明', en: "Respondent's statement received" } },
  'statement.missing': { staff: { 'zh-CN': '被投诉方未在期限内说明', en: 'No statement from the respondent in time' } },
  'findings.recorded': {
    staff: { 'zh-CN': '已记录调查结果', en: 'Findings recorded' },
    complainant: { 'zh-CN': '调查已完成', en: 'Investigation finished' },
  },
  'reply.sent': {
    staff: { 'zh-CN': '已答复投诉人', en: 'Reply sent' },
    complainant: { 'zh-CN': '已答复您', en: 'We replied to you' },
  },
  'survey.answered': {
    staff: { 'zh-CN': '收到满意度评价', en: 'Survey answered' },
    complainant: { 'zh-CN': '您已评价', en: 'You rated the outcome' },
  },
  'survey.expired': { staff: { 'zh-CN': '满意度调查未回复', en: 'Survey unanswered' } },
  'review.requested': {
    staff: { 'zh-CN': '投诉人申请复核', en: 'Review requested' },
    complainant: { 'zh-CN': '您已申请复核', en: 'You asked for a review' },
  },
  'review.ruled': {
    staff: { 'zh-CN': '复核已裁定（最终）', en: 'Review ruled (final)' },
    complainant: { 'zh-CN': '复核结论（最终）', en: 'Review ruling (final)' },
  },
  'reminder.sent': {
    staff: { 'zh-CN': '投诉人催办', en: 'Complainant sent a reminder' },
    complainant: { 'zh-CN': '您已催办', en: 'You sent a reminder' },
  },
  'addition.confirmed': {
    staff: { 'zh-CN': '投诉人确认了并入的内容', en: 'Complainant confirmed the added filing' },
    complainant: { 'zh-CN': '您确认了并入的内容是您提交的', en: 'You confirmed you filed the added text' },
  },
  'tracking.replaced': {
    staff: { 'zh-CN': '投诉人更换了查询链接', en: 'Tracking link replaced by the complainant' },
    complainant: {
      'zh-CN': '您更换了查询链接（旧链接已失效）',
      en: 'You replaced the tracking link (the old one no longer works)',
    },
  },
  'complaint.withdrawn': {
    staff: { 'zh-CN': '投诉人撤回', en: 'Withdrawn by the complainant' },
    complainant: { 'zh-CN': '您已撤回投诉', en: 'You withdrew the complaint' },
  },
  'complaint.closed': { staff: { 'zh-CN': '结案', en: 'Closed' }, complainant: { 'zh-CN': '已结案', en: 'Closed' } },
  // The staff desk (staff-only: no complainant label, so complainantHistory leaves them out).
  'staff.viewed': { staff: { 'zh-CN': '工作人员查看了案件', en: 'Viewed by staff' } },
  'staff.noted': { staff: { 'zh-CN': '内部备注', en: 'Internal note' } },
  'task.reassigned': { staff: { 'zh-CN': '任务已改派', en: 'Task reassigned' } },
  // The platform beside the desk reports an action carried out (POST /integrations/actions).
  'action.confirmed': { staff: { 'zh-CN': '平台已执行处理措施', en: 'Platform confirmed an action' } },
  // The conversation (domain/messages.ts): what the desk and the parties wrote each other.
  'message.to-complainant': {
    staff: { 'zh-CN': '已发消息给投诉人', en: 'Message sent to the complainant' },
    complainant: { 'zh-CN': '我们给您发了消息', en: 'We wrote to you' },
  },
  'message.to-respondent': { staff: { 'zh-CN': '已发消息给被投诉方', en: 'Message sent to the respondent' } },
  'complainant.wrote': {
    staff: { 'zh-CN': '投诉人来信（查询页）', en: 'Complainant wrote (tracking page)' },
    complainant: { 'zh-CN': '您的消息已记入', en: 'Your message was added' },
  },
  'respondent.wrote': { staff: { 'zh-CN': '被投诉方来信', en: 'Respondent wrote' } },
  'message.answered': {
    staff: { 'zh-CN': '收到回复，暂停的环节继续计时', en: 'Answer received; the paused step’s clock runs again' },
  },
  'message.unanswered': {
    staff: {
      'zh-CN': '等待回复已到期，暂停的环节继续计时',
      en: 'No answer by the wait’s deadline; the paused step goes on',
    },
  },
  'complaint.merged': {
    staff: { 'zh-CN': '已并入另一件投诉', en: 'Merged into another case' },
    complainant: { 'zh-CN': '已并入您的另一件投诉', en: 'Merged into another complaint of yours' },
  },
  'complaint.merged-in': {
    staff: { 'zh-CN': '并入了另一件投诉', en: 'Another case was merged into this one' },
    complainant: { 'zh-CN': '您的另一件投诉已并入本投诉', en: 'Another complaint of yours was merged into this one' },
  },
  // Personal-data rights and the referral bundle.
  'bundle.generated': {
    staff: { 'zh-CN': '已生成转交材料包', en: 'Referral bundle generated' },
    complainant: { 'zh-CN': '已生成转交材料包', en: 'Referral bundle generated' },
  },
  'erasure.requested': {
    staff: { 'zh-CN': '投诉人申请删除个人信息', en: 'Complainant asked for their data to be erased' },
    complainant: { 'zh-CN': '您申请删除个人信息', en: 'You asked for your data to be erased' },
  },
  'legal-hold.placed': {
    staff: { 'zh-CN': '已设置法律保全（暂停删除）', en: 'Legal hold placed (erasure deferred)' },
    complainant: {
      'zh-CN': '因争议正由监管部门或法院处理，本案资料暂予保留',
      en: 'Your case’s data are kept for now: a dispute about it is before a regulator or court',
    },
  },
  'legal-hold.released': {
    staff: { 'zh-CN': '已解除法律保全', en: 'Legal hold released' },
    complainant: { 'zh-CN': '资料保留已解除', en: 'The hold on your case’s data was released' },
  },
  'contact.change-requested': {
    staff: { 'zh-CN': '投诉人申请更改联系邮箱（待确认）', en: 'Complainant asked to change their email (unconfirmed)' },
    complainant: {
      'zh-CN': '您申请更改联系邮箱，确认邮件已发到新邮箱',
      en: 'You asked to change your email; we sent a confirmation to the new address',
    },
  },
  'contact.corrected': {
    staff: { 'zh-CN': '投诉人更正了联系信息', en: 'Complainant corrected their contact details' },
    complainant: { 'zh-CN': '您更正了联系信息', en: 'You corrected your contact details' },
  },
  'case.erased': { staff: { 'zh-CN': '个人信息已删除', en: 'Personal data erased' } },
  'export.generated': {
    staff: { 'zh-CN': '投诉人下载了个人信息副本', en: 'Complainant downloaded a copy of their data' },
    complainant: { 'zh-CN': '您下载了个人信息副本', en: 'You downloaded a copy of your data' },
  },
} satisfies Record<string, { staff: Bilingual; complainant?: Bilingual }>;

export type EventAction = keyof typeof EVENT_LABELS;

export interface ComplaintEvent {
  at: string;
  actor: string;
  action: EventAction;
  details?: Record<string, unknown>;
}

export const ACTOR_LABELS: Record<string, Bilingual> = {
  system: { 'zh-CN': '系统', en: 'System' },
  complainant: { 'zh-CN': '投诉人', en: 'Complainant' },
  respondent: { 'zh-CN': '被投诉方', en: 'Respondent' },
  handler: { 'zh-CN': '处理人员', en: 'Handler' },
  supervisor: { 'zh-CN': '主管', en: 'Supervisor' },
  manager: { 'zh-CN': '经理', en: 'Manager' },
  platform: { 'zh-CN': '平台', en: 'Platform' },
};

export function staffEventLabel(action: EventAction, language: Language): string {
  return EVENT_LABELS[action]?.staff[language] ?? action;
}

export interface ComplainantHistoryEntry {
  at: string;
  action: EventAction;
  label: string;
  detail?: string;
}

/**
 * The complainant's view of the history: no staff addresses, no internal notes, only what the
 * complainant wrote or was told (an event's `details.complainantNote`).
 */
export function complainantHistory(events: readonly ComplaintEvent[], language: Language): ComplainantHistoryEntry[] {
  const entries: ComplainantHistoryEntry[] = [];
  for (const event of events) {
    const labels = EVENT_LABELS[event.action] as { complainant?: Bilingual } | undefined;
    const label = event.action === 'task.assigned' ? assignedLabel(event) : labels?.complainant;
    if (!label) continue;
    const note = event.details?.complainantNote;
    const detail = typeof note === 'object' && note !== null ? (note as Bilingual)[language] : undefined;
    entries.push({ at: event.at, action: event.action, label: label[language], ...(detail ? { detail } : {}) });
  }
  return entries;
}

/**
 * A step handed to someone, as the complainant reads it: their own turn says what is asked of
 * them; the desk's first holder of a step says which step began (escalations have their own
 * line); the other party's statement and an information request (which has its own line) say
 * nothing more.
 */
function assignedLabel(event: ComplaintEvent): Bilingual | undefined {
  const step = event.details?.step as HumanStep | undefined;
  if (!step || !HUMAN_STEPS.includes(step) || Number(event.details?.level ?? 0) > 0) return undefined;
  // The desk declared the caller's files at entry: the caller is asked only if none lands.
  if (step === 'evidence' && event.details?.askFrom)
    return {
      'zh-CN': '工作人员正在上传您提供的证据；如未能收到，我们会请您补充',
      en: 'Our staff are adding the evidence you gave them; if it does not arrive, we will ask you for it',
    };
  const line = STEP_DEFINITIONS[step].assignedLine;
  if (line === 'nothing') return undefined;
  if (line !== 'step-assigned') return line;
  return {
    'zh-CN': `${STEP_LABELS[step]['zh-CN']}：已分派处理人员`,
    en: `${STEP_LABELS[step].en}: assigned to a handler`,
  };
}

/**
 * Filings joined to a case as repeats (`complaint.linked-duplicate`) that its complainant has not
 * confirmed: anyone who knows the address and the matter can file one, so until confirmed
 * (`addition.confirmed` naming its time) the text stays unverified.
 */
export function unconfirmedAdditions(events: readonly ComplaintEvent[]): ComplaintEvent[] {
  const confirmed = new Set(
    events.filter((e) => e.action === 'addition.confirmed').map((e) => String(e.details?.linkedAt)),
  );
  return events.filter((e) => e.action === 'complaint.linked-duplicate' && !confirmed.has(e.at));
}
