import type { Channel, SUBJECT_TYPES } from '../domain/complaint';
import type { Bilingual } from '../domain/language';
import { DECISION_LABELS as STEP_DECISION_LABELS } from '../domain/lifecycle';
import type { INVESTIGATION_ACTIONS } from '../domain/steps';

/**
 * What people read for the desk's internal values: decisions (named where their step is defined,
 * lifecycle.ts STEP_DEFINITIONS), actions, channels, subject types, event details.
 */
export const DECISION_LABELS: Readonly<Record<string, Bilingual>> = STEP_DECISION_LABELS;

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

export const SUBJECT_TYPE_LABELS: Readonly<Record<(typeof SUBJECT_TYPES)[number], Bilingual>> = {
  post: { 'zh-CN': '帖子', en: 'A post' },
  user: { 'zh-CN': '用户', en: 'A user' },
  moderator: { 'zh-CN': '版主或管理人员', en: 'A moderator or staff member' },
  service: { 'zh-CN': '服务（网站、服务器、应用）', en: 'A service (site, server, app)' },
  other: { 'zh-CN': '其他', en: 'Something else' },
};

/** The names of the event details staff read in a case's history. */
export const DETAIL_LABELS = {
  action: { 'zh-CN': '措施', en: 'Action' },
  reference: { 'zh-CN': '平台记录', en: 'Platform reference' },
  assignee: { 'zh-CN': '处理人', en: 'Assigned to' },
  from: { 'zh-CN': '原处理人', en: 'From' },
  to: { 'zh-CN': '转交给', en: 'To' },
  lateBySeconds: { 'zh-CN': '超时', en: 'Late by' },
  decision: { 'zh-CN': '决定', en: 'Decision' },
  decidedBy: { 'zh-CN': '决定人', en: 'Decided by' },
  reason: { 'zh-CN': '理由', en: 'Reason' },
  message: { 'zh-CN': '给投诉人的留言', en: 'Message to the complainant' },
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
  deadlineProvisional: { 'zh-CN': '期限', en: 'Deadline' },
  description: { 'zh-CN': '投诉内容', en: 'Description' },
  desiredOutcome: { 'zh-CN': '处理要求', en: 'Desired outcome' },
  contactHistory: { 'zh-CN': '沟通情况', en: 'Contact so far' },
  verified: { 'zh-CN': '核实', en: 'Verified' },
  text: { 'zh-CN': '来信内容', en: 'Email text' },
} as const satisfies Record<string, Bilingual>;
export type DetailField = keyof typeof DETAIL_LABELS;

/**
 * The label of a value read at run time (a config entry, a stored decision): undefined when the
 * catalog has none, so the reader sees the value itself. Keys known where the code is written
 * index the tables directly, which tsc checks.
 */
export function labelOf<K extends string>(labels: Readonly<Record<K, Bilingual>>, key: string): Bilingual | undefined {
  return Object.hasOwn(labels, key) ? labels[key as K] : undefined;
}

/**
 * A deadline counted in a working calendar that ran into years without holiday data: those days
 * were counted as ordinary working days, so the deadline may still move.
 */
export function provisionalDeadlineNote(years: readonly number[], language: 'zh-CN' | 'en'): string {
  return language === 'zh-CN'
    ? `暂定：缺少 ${years.join('、')} 年节假日数据，按普通工作日计算`
    : `provisional: no holiday data for ${years.join(', ')}, counted as ordinary working days`;
}

/** The desk's figures (analytics page, CSV, weekly report): section and figure names. */
export const ANALYTICS_LABELS = {
  title: { 'zh-CN': '统计分析', en: 'Analytics' },
  range: { 'zh-CN': '统计范围', en: 'Range' },
  from: { 'zh-CN': '开始日期', en: 'From' },
  to: { 'zh-CN': '结束日期', en: 'To' },
  groupBy: { 'zh-CN': '分组', en: 'Group by' },
  day: { 'zh-CN': '按日', en: 'By day' },
  week: { 'zh-CN': '按周', en: 'By week' },
  month: { 'zh-CN': '按月', en: 'By month' },
  apply: { 'zh-CN': '查看', en: 'Show' },
  csv: { 'zh-CN': '下载 CSV', en: 'Download CSV' },
  total: { 'zh-CN': '合计', en: 'Total' },
  overTime: { 'zh-CN': '收到投诉数量（随时间）', en: 'Complaints received over time' },
  byCategory: { 'zh-CN': '按类别', en: 'By category' },
  byChannel: { 'zh-CN': '按渠道', en: 'By channel' },
  byTeam: { 'zh-CN': '按团队', en: 'By team' },
  byPriority: { 'zh-CN': '按优先级', en: 'By priority' },
  byStatus: { 'zh-CN': '按当前状态', en: 'By current status' },
  serviceLevels: { 'zh-CN': '服务水平', en: 'Service levels' },
  stage: { 'zh-CN': '环节', en: 'Stage' },
  decided: { 'zh-CN': '已决定', en: 'Decided' },
  onTime: { 'zh-CN': '按期', en: 'On time' },
  onTimeShare: { 'zh-CN': '按期率', en: 'On-time share' },
  escalations: { 'zh-CN': '超时上报', en: 'Escalations' },
  breaches: { 'zh-CN': '严重超时', en: 'Breaches' },
  times: { 'zh-CN': '自收到起的用时', en: 'Time from receipt' },
  measure: { 'zh-CN': '到', en: 'To' },
  count: { 'zh-CN': '件数', en: 'Cases' },
  median: { 'zh-CN': '中位数', en: 'Median' },
  p90: { 'zh-CN': '90 分位', en: '90th percentile' },
  approximateTimes: {
    'zh-CN': '中位数与 90 分位为近似值，与精确值相差不超过 {percent}；件数为精确值。',
    en: 'Medians and 90th percentiles are approximate, within {percent} of the exact values; counts are exact.',
  },
  accept: { 'zh-CN': '受理', en: 'Acceptance' },
  findings: { 'zh-CN': '调查结果', en: 'Findings' },
  reply: { 'zh-CN': '答复', en: 'Reply' },
  outcomes: { 'zh-CN': '处理结果', en: 'Outcomes' },
  satisfaction: { 'zh-CN': '满意度', en: 'Satisfaction' },
  responses: { 'zh-CN': '回复数', en: 'Responses' },
  responseRate: { 'zh-CN': '回复率', en: 'Response rate' },
  mean: { 'zh-CN': '平均分', en: 'Mean' },
  distribution: { 'zh-CN': '评分分布', en: 'Ratings' },
  hotspots: { 'zh-CN': '投诉热点', en: 'Hotspots' },
  rising: { 'zh-CN': '增长最快（与上一期相比）', en: 'Rising fastest (against the previous range)' },
  subject: { 'zh-CN': '投诉对象', en: 'Subject' },
  category: { 'zh-CN': '类别', en: 'Category' },
  previous: { 'zh-CN': '上一期', en: 'Previous' },
  change: { 'zh-CN': '变化', en: 'Change' },
  handlers: { 'zh-CN': '处理人员考核', en: 'Handlers' },
  handler: { 'zh-CN': '处理人员', en: 'Handler' },
  openLoad: { 'zh-CN': '当前待办', en: 'Open now' },
  sendReport: { 'zh-CN': '立即发送周报', en: 'Send the weekly report now' },
  reportSent: { 'zh-CN': '周报已发送', en: 'The weekly report is sent' },
  weeklyReport: { 'zh-CN': '投诉处理周报', en: 'Weekly complaints report' },
  thisWeek: { 'zh-CN': '本周', en: 'This week' },
  weekBefore: { 'zh-CN': '前一周', en: 'Week before' },
  lateOpen: { 'zh-CN': '仍未处理的超时案件', en: 'Late cases still open' },
  none: { 'zh-CN': '无', en: 'None' },
  number: { 'zh-CN': '编号', en: 'Number' },
  holder: { 'zh-CN': '处理人', en: 'Holder' },
  due: { 'zh-CN': '期限', en: 'Due' },
  figure: { 'zh-CN': '指标', en: 'Figure' },
  value: { 'zh-CN': '数值', en: 'Value' },
  section: { 'zh-CN': '部分', en: 'Section' },
  key: { 'zh-CN': '键', en: 'Key' },
  label: { 'zh-CN': '名称', en: 'Label' },
  period: { 'zh-CN': '时段', en: 'Period' },
} satisfies Record<string, Bilingual>;
