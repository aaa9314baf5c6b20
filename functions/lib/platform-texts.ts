import type { Bilingual } from '../domain/language';

/**
 * What the platform itself says (lib/http.ts, lib/problems.ts, lib/error-page.ts): the problems
 * every handler may answer and the error page's own words. lib/ sits below pages/ (the layer rule,
 * test/unit/layers.test.ts), so its texts live here, typed like pages/' tables: a key missing, or a
 * text in one language only, does not compile; a text with a value in it is a function of it.
 */
export const PLATFORM_TEXTS = {
  // lib/http.ts
  invalidFields: { 'zh-CN': '提交的内容有误', en: 'The request has invalid fields' },
  serviceBusy: { 'zh-CN': '服务繁忙，请稍后重试', en: 'The service is busy; please try again shortly' },
  serviceBusyDetail: (retryAfterSeconds: number): Bilingual => ({
    'zh-CN': `您的请求未被处理，也未保存任何内容。请在 ${retryAfterSeconds} 秒后重试。`,
    en: `Your request was not processed and nothing was saved. Please try again in ${retryAfterSeconds} seconds.`,
  }),
  notFound: { 'zh-CN': '找不到该资源', en: 'Not found' },
  sendBodyAs: (expected: string): Bilingual => ({
    'zh-CN': `请以 ${expected} 格式提交`,
    en: `Send the body as ${expected}`,
  }),
  bodyTooLarge: { 'zh-CN': '请求体过大', en: 'Request body too large' },
  bodyTooLargeDetail: (maxBytes: number): Bilingual => ({
    'zh-CN': `请求体不能超过 ${maxBytes} 字节。`,
    en: `The body may be at most ${maxBytes} bytes.`,
  }),
  notValidJsonAt: (at: string | undefined): Bilingual => ({
    'zh-CN': `不是有效的 JSON${at ? `（第 ${at} 个字符附近）` : ''}`,
    en: `not valid JSON${at ? ` (near character ${at})` : ''}`,
  }),
  bodyNotJson: { 'zh-CN': '请求体不是有效的 JSON', en: 'The body is not valid JSON' },
  internalError: {
    'zh-CN': '服务器内部错误，请稍后重试',
    en: 'Something went wrong on our side; please try again later',
  },

  // lib/problems.ts
  outOfScope: { 'zh-CN': '不属于本平台的受理范围', en: 'This is not something this desk handles' },
  maliciousRefiling: (ban: { permanent: boolean; until?: string }): Bilingual => ({
    'zh-CN':
      '该事项已有最终裁定，就同一事项再次投诉属于恶意投诉（投诉规则第二条）。' +
      (ban.permanent ? '您已被永久停止投诉。' : `您在 ${ban.until} 之前不能提交投诉。`),
    en:
      'This matter already has a final ruling; complaining about it again is a malicious complaint under the complaint rules. ' +
      (ban.permanent ? 'You may no longer file complaints.' : `You cannot file complaints until ${ban.until}.`),
  }),
  banned: (ban: { permanent: boolean; until?: string }): Bilingual => ({
    'zh-CN': ban.permanent
      ? '因多次恶意投诉，您已被永久停止投诉。'
      : `因恶意投诉，您在 ${ban.until} 之前不能提交投诉。`,
    en: ban.permanent
      ? 'After repeated malicious complaints you may no longer file complaints.'
      : `After a malicious complaint you cannot file complaints until ${ban.until}.`,
  }),
  cannotFileNow: { 'zh-CN': '您暂时不能提交投诉', en: 'You cannot file complaints at present' },
  idempotencyKeyReused: {
    'zh-CN': '该 Idempotency-Key 已用于另一份内容不同的请求',
    en: 'This Idempotency-Key was used for a different request',
  },
  idempotencyKeyReusedDetail: {
    'zh-CN': '重试请求必须与第一次完全相同；新的投诉请使用新的 Idempotency-Key。',
    en: 'A retry must repeat the first request exactly; use a new Idempotency-Key for a new complaint.',
  },
  forbiddenCase: { 'zh-CN': '您无权查看或处理此案件', en: 'You may not see or act on this case' },
  forbiddenAnalytics: {
    'zh-CN': '统计分析仅供主管及以上人员查看',
    en: 'Analytics are for supervisors, managers and operators',
  },
  forbiddenWeeklyReport: {
    'zh-CN': '周报仅可由经理（其负责的团队）或管理员发送',
    en: 'The weekly report is sent by managers (for their own teams) and operators',
  },
  forbiddenReassign: { 'zh-CN': '只有主管及以上人员可以改派任务', en: 'Only supervisors and up may reassign a task' },
  forbiddenWebhooks: {
    'zh-CN': '推送记录仅供经理及管理员查看',
    en: 'The webhook delivery log is for managers and operators',
  },

  // lib/error-page.ts
  backToStart: { 'zh-CN': '返回首页', en: 'Back to the start' },
  errorCode: { 'zh-CN': '错误代码', en: 'Error code' },
  /** The link to the page in the other language, named in that language. */
  otherLanguage: { 'zh-CN': 'English', en: '中文' },
  siteName: { 'zh-CN': 'Redress 投诉处理', en: 'Redress complaints' },
} as const satisfies Record<string, Bilingual | ((...values: never[]) => Bilingual)>;

/** The error page's heading for each HTTP status it names. */
export const ERROR_PAGE_STATUS_NAMES = {
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
} as const satisfies Record<number, Bilingual>;

/** What the reader of the error page can do next, by HTTP status. */
export const ERROR_PAGE_NEXT_STEPS = {
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
} as const satisfies Record<number, Bilingual>;
