import type { Bilingual } from '../domain/language';

/**
 * What the API's handlers answer a request with in words, outside a page of their own: problem
 * titles, field messages and short notices. Handlers hold no text (test/unit/message-catalog.test.ts);
 * a key that is not here, or a text in one language only, does not compile.
 */
export const REQUEST_TEXTS = {
  staffSignInRequired: { 'zh-CN': '请先登录工作台', en: 'Sign in to the staff desk first' },
  staffPageOutOfDate: { 'zh-CN': '页面已过期，请刷新后重试', en: 'This page is out of date; reload it and try again' },
  staffSignInSent: {
    'zh-CN': '如果此地址属于本工作台，登录链接已发送至该邮箱。',
    en: 'If this address belongs to the desk, a sign-in link is on its way.',
  },
  invalidEmail: { 'zh-CN': '不是有效的电子邮件地址', en: 'is not a valid email address' },
  trackingLinkNotFound: {
    'zh-CN': '找不到该投诉，或链接不完整',
    en: 'No complaint at this link, or the link is incomplete',
  },
  trackingLinkReplaced: { 'zh-CN': '已更换查询链接', en: 'Tracking link replaced' },
  shortLinkNotFound: { 'zh-CN': '链接无效或已过期', en: 'This link is not valid or has expired' },
  noSuchAddress: { 'zh-CN': '没有这个地址', en: 'No such address' },
  analyticsRangeInvalid: { 'zh-CN': '统计范围有误', en: 'The range is not valid' },
  saved: { 'zh-CN': '已保存。', en: 'Saved.' },
} as const satisfies Record<string, Bilingual>;
