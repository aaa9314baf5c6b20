import type { Channel } from '../domain/complaint';
import type { Bilingual } from '../domain/language';
import type { INVESTIGATION_ACTIONS } from '../domain/steps';

/** What people read for the desk's internal values: decisions, actions, channels, subject types, event details. */
export const DECISION_LABELS: Record<string, Bilingual> = {
  accept: { 'zh-CN': '受理：属实、有效、属于受理范围', en: 'Accept: genuine, valid and in scope' },
  reject: { 'zh-CN': '不予受理', en: 'Reject' },
  'request-info': { 'zh-CN': '要求投诉人补充信息', en: 'Ask the complainant for more information' },
  'record-findings': { 'zh-CN': '记录调查结果', en: 'Record the findings' },
  'request-statement': { 'zh-CN': '请被投诉方说明', en: "Ask the respondent for a statement" },
  'send-reply': { 'zh-CN': '发送答复', en: 'Send the reply' },
  answer: { 'zh-CN': '提交补充信息', en: 'Send my answer' },
  'submit-statement': { 'zh-CN': '提交说明', en: 'Send my statement' },
  rate: { 'zh-CN': '提交评价', en: 'Send my rating' },
  'request-review': { 'zh-CN': '申请复核', en: 'Ask for a review' },
  uphold: { 'zh-CN': '维持原处理结果', en: 'Uphold the outcome' },
  overturn: { 'zh-CN': '撤销原处理结果并重新答复', en: 'Overturn it with a new reply' },
  'evidence-received': { 'zh-CN': '已收到证据', en: 'Evidence received' },
};

export const ACTION_LABELS: Record<(typeof INVESTIGATION_ACTIONS)[number], Bilingual> = {
  'remove-content-and-warn': { 'zh-CN': '删除内容并警告', en: 'Remove the content and warn' },
  'restore-account-and-apologise': { 'zh-CN': '恢复账号并致歉', en: 'Restore the account and apologise' },
  'privacy-measures': { 'zh-CN': '采取隐私保护措施', en: 'Privacy measures' },
  other: { 'zh-CN': '其他措施', en: 'Other action' },
};

export const CHANNEL_LABELS: Record<Channel, Bilingual> = {
  web: { 'zh-CN': '网页表单', en: 'Web form' },
  api: { 'zh-CN': '应用内反馈（API）', en: 'In-app feedback (API)' },
  hotline: { 'zh-CN': '投诉热线', en: 'Hotline' },
  social: { 'zh-CN': '社交媒体私信', en: 'Social media message' },
  app: { 'zh-CN': '应用（工作人员录入）', en: 'App (entered by staff)' },
  email: { 'zh-CN': '电子邮件', en: 'Email' },
};

export const SUBJECT_TYPE_LABELS: Record<string, Bilingual> = {
  post: { 'zh-CN': '帖子', en: 'A post' },
  user: { 'zh-CN': '用户', en: 'A user' },
  moderator: { 'zh-CN': '版主或管理人员', en: 'A moderator or staff member' },
  service: { 'zh-CN': '服务（网站、服务器、应用）', en: 'A service (site, server, app)' },
  other: { 'zh-CN': '其他', en: 'Something else' },
};

/** The names of the event details staff read in a case's history. */
export const DETAIL_LABELS: Record<string, Bilingual> = {
  assignee: { 'zh-CN': '处理人', en: 'Assigned to' },
  from: { 'zh-CN': '原处理人', en: 'From' },
  to: { 'zh-CN': '转交给', en: 'To' },
  lateBySeconds: { 'zh-CN': '超时', en: 'Late by' },
  decision: { 'zh-CN': '决定', en: 'Decision' },
  decidedBy: { 'zh-CN': '决定人', en: 'Decided by' },
  reason: { 'zh-CN': '理由', en: 'Reason' },
  question: { 'zh-CN': '问题', en: 'Question' },
  answer: { 'zh-CN': '补充', en: 'Answer' },
  findings: { 'zh-CN': '调查结果', en: 'Findings' },
  actions: { 'zh-CN': '已采取的措施', en: 'Actions taken' },
  respondentEmail: { 'zh-CN': '被投诉方', en: 'Respondent' },
  statement: { 'zh-CN': '说明', en: 'Statement' },
  reply: { 'zh-CN': '处理结果', en: 'Result' },
  grounds: { 'zh-CN': '依据', en: 'Grounds' },
  followUp: { 'zh-CN': '后续安排', en: 'Follow-up' },
  rating: { 'zh-CN': '满意度', en: 'Satisfaction' },
  comment: { 'zh-CN': '意见', en: 'Comment' },
  ruling: { 'zh-CN': '复核结论', en: 'Ruling' },
  note: { 'zh-CN': '备注', en: 'Note' },
  outcome: { 'zh-CN': '结果', en: 'Outcome' },
  name: { 'zh-CN': '文件', en: 'File' },
  size: { 'zh-CN': '大小', en: 'Size' },
};
