import type { Bilingual } from '../domain/language';

/**
 * What the use cases (functions/app) answer in words: problem titles and details, field messages,
 * replies and the notes a complainant reads on their case's history. Use cases hold no text of their
 * own (test/unit/message-catalog.test.ts); a key that is not here, or a text in one language only,
 * does not compile. A text with a value in it is a function of that value, typed.
 */
export const USE_CASE_TEXTS = {
  // Shared by several use cases.
  noSuchComplaint: { 'zh-CN': '找不到该投诉', en: 'No such complaint' },
  reasonRequired: { 'zh-CN': '必填（最多 2000 个字符）', en: 'is required (at most 2000 characters)' },

  // bulk-actions
  bulkActionOneOf: (actions: readonly string[]): Bilingual => ({
    'zh-CN': `可选：${actions.join('、')}`,
    en: `one of: ${actions.join(', ')}`,
  }),
  bulkPickOne: { 'zh-CN': '请至少选择一个案件', en: 'pick at least one case' },
  bulkAtMost: (max: number): Bilingual => ({ 'zh-CN': `一次最多 ${max} 件`, en: `at most ${max} at once` }),
  bulkRowFailed: {
    'zh-CN': '服务器内部错误，此件未处理',
    en: 'Something went wrong on our side; this row was not done',
  },

  // canned-replies
  cannedRepliesFull: (perScope: number): Bilingual => ({
    'zh-CN': `每个范围最多 ${perScope} 条常用回复`,
    en: `A scope holds at most ${perScope} canned replies`,
  }),
  cannedNoSuchTeam: { 'zh-CN': '没有这个团队', en: 'no such team (or `desk`)' },
  cannedRespondentName: { 'zh-CN': '您', en: 'Sir or Madam' },

  // confirm-addition
  noAdditionWaiting: { 'zh-CN': '没有这条待确认的并入内容', en: 'names no added filing waiting for confirmation' },

  // correct-contact
  correctionWhileErasing: {
    'zh-CN': '您已申请删除个人信息，不能再更正',
    en: 'You asked for your data to be erased; it can no longer be corrected',
  },
  correctionInvalid: { 'zh-CN': '更正内容有误', en: 'The correction is not valid' },
  correctionTooManyAddresses: {
    'zh-CN': '本案的联系邮箱更换次数已达上限，请联系受理人员',
    en: 'The contact address of this case was changed as often as it can be; ask the desk',
  },

  // erasure
  erasureAlready: { 'zh-CN': '您已申请删除', en: 'Erasure was already asked for' },
  erasureUnconfirmed: { 'zh-CN': '请确认删除申请', en: 'Confirm the request to erase' },
  erasureConfirmYes: { 'zh-CN': '须为 yes，表示确认删除', en: 'must be yes, to confirm the erasure' },
  erasureWithdrawReason: { 'zh-CN': '申请删除个人信息', en: 'Asked for their data to be erased' },
  erasureDueNote: (day: string, legalHold: boolean): Bilingual => ({
    'zh-CN': `将于 ${day} 前删除${legalHold ? '（法律保全解除后）' : ''}`,
    en: `To be erased by ${day}${legalHold ? ' (once the legal hold is released)' : ''}`,
  }),
  legalHoldAction: { 'zh-CN': '须为 place 或 release', en: 'must be place or release' },
  caseErased: { 'zh-CN': '本案已删除', en: 'This case is erased' },
  legalHoldRefused: {
    'zh-CN': '已有法律保全、本案正在删除，或刚刚有变化，请刷新后再试',
    en: 'A hold is in place, the case is being erased, or it just changed; reload and try again',
  },
  noLegalHold: { 'zh-CN': '本案没有法律保全', en: 'This case has no legal hold' },

  // file-complaint
  idempotencyKeyInvalid: {
    'zh-CN': '应为 1 至 255 个可见 ASCII 字符',
    en: 'must be 1 to 255 visible ASCII characters',
  },
  tooManyFilings: {
    'zh-CN': '该邮箱本小时提交的投诉过多，请稍后再试',
    en: 'Too many complaints from this address this hour; please try again later',
  },
  filingHeld: {
    'zh-CN': '该事项已有最终裁定。我们已向您的邮箱发送确认邮件，请从邮件中确认是您本人提交。',
    en: 'This matter already has a final ruling. We sent a confirmation to your mailbox: confirm there that you filed this.',
  },
  filingReceived: {
    'zh-CN': '已收到。投诉编号和查询链接已发送至您的邮箱。',
    en: 'Received. The complaint number and tracking link were emailed to you.',
  },
  filedAgainNote: { 'zh-CN': '您再次提交的内容已并入本投诉', en: 'What you filed again was added to this complaint' },

  // grant-evidence-upload
  evidenceClosed: {
    'zh-CN': '该投诉已结案，不能再上传证据',
    en: 'This complaint is closed; evidence can no longer be added',
  },

  // integration-actions
  signatureInvalid: { 'zh-CN': '签名无效', en: 'The request signature is not valid' },
  signatureHow: (why: string): Bilingual => ({
    'zh-CN': `请用入站密钥对“时间戳.请求体”做 HMAC-SHA256 签名（${why}）。`,
    en: `Sign "<timestamp>.<body>" with HMAC-SHA256 under the inbound secret (${why}).`,
  }),
  mustBeJsonObject: { 'zh-CN': '应为 JSON 对象', en: 'must be a JSON object' },
  unknownField: { 'zh-CN': '不认识的字段', en: 'unknown field' },
  mustBeComplaintId: { 'zh-CN': '应为投诉编号（26 位）', en: 'must be a complaint id (26 characters)' },
  mustBeOneOf: (values: readonly string[]): Bilingual => ({
    'zh-CN': `应为以下之一：${values.join('、')}`,
    en: `must be one of: ${values.join(', ')}`,
  }),
  referenceLength: (limit: number): Bilingual => ({
    'zh-CN': `应为 1–${limit} 个字符的文本`,
    en: `must be text of 1–${limit} characters`,
  }),

  // merge-cases
  mergeAlreadyClosed: { 'zh-CN': '此投诉已结案', en: 'This case is already closed' },
  mergedNote: (number: string): Bilingual => ({
    'zh-CN': `已并入您的投诉 ${number}，将在那里一并处理`,
    en: `Merged into your complaint ${number}, where it is handled from now on`,
  }),
  mergeInFlight: {
    'zh-CN': '此投诉刚刚有了进展，请刷新后再试',
    en: 'The case is changing right now: reload it and try again',
  },
  mergeNoTarget: { 'zh-CN': '找不到该投诉（请填投诉编号）', en: 'no such complaint (give its number)' },
  mergeIntoItself: { 'zh-CN': '不能并入自身', en: 'a case cannot be merged into itself' },
  mergeTargetClosed: { 'zh-CN': '只能并入仍在处理中的投诉', en: 'the case to merge into must be open' },
  mergeOtherComplainant: {
    'zh-CN': '只能并入同一投诉人的投诉',
    en: 'the case to merge into must be the same complainant’s',
  },
  mergeTargetHidden: { 'zh-CN': '您无权查看该投诉', en: 'you may not see that case' },

  // message-files
  noSuchFile: { 'zh-CN': '找不到该文件', en: 'No such file' },

  // receive-answer
  answerClosed: {
    'zh-CN': '此投诉已结案，不能再发消息',
    en: 'This complaint is closed: messages can no longer be sent',
  },
  messageTextRequired: (limit: number): Bilingual => ({
    'zh-CN': `必填（最多 ${limit} 个字符）`,
    en: `is required (at most ${limit} characters)`,
  }),
  answerAttachmentUnknown: (id: string): Bilingual => ({
    'zh-CN': `附件 ${id} 不是您已上传并通过检查的文件`,
    en: `attachment ${id} is not a checked file you uploaded`,
  }),

  // receive-mail
  mailAddedNote: {
    'zh-CN': '一封以您的邮箱发出、提及本投诉编号的邮件已记入，待您确认',
    en: 'An email from your address naming this complaint was added; confirm it if it was yours',
  },

  // remind
  remindNobody: { 'zh-CN': '目前没有可以催办的处理人员', en: 'There is nobody to remind yet' },
  remindNobodyDetail: {
    'zh-CN': '投诉尚未分派给处理人员，或正在等待您本人操作（补充证据、信息或评价）。',
    en: 'Your complaint has not been assigned to anyone yet, or it is waiting for you (evidence, information or your rating).',
  },
  remindClosed: { 'zh-CN': '该投诉已结案，无法催办', en: 'This complaint is closed; it cannot be chased' },
  remindTooSoon: { 'zh-CN': '每个投诉每天只能催办一次', en: 'One reminder a day per complaint' },

  // request-review
  reviewNotOpen: {
    'zh-CN': '暂时无法申请复核，请稍后再试',
    en: 'A review cannot be asked for right now; try again shortly',
  },
  reviewReasonTooLong: { 'zh-CN': '最多 2000 个字符', en: 'must be at most 2000 characters' },
  reviewReasonRequired: { 'zh-CN': '必填：请说明申请复核的理由', en: 'is required: say why you ask for a review' },
  reviewAlreadyRequested: { 'zh-CN': '已申请过复核', en: 'A review was already asked for' },

  // respondent-view
  respondentLinkNotFound: { 'zh-CN': '找不到此链接对应的内容', en: 'Nothing at this link' },

  // saved-views
  viewNameRequired: { 'zh-CN': '必填（最多 60 个字符）', en: 'is required (at most 60 characters)' },
  viewScopeInvalid: { 'zh-CN': '须为 personal 或 team:<团队>', en: 'must be personal or team:<team>' },
  viewTeamNotSupervised: {
    'zh-CN': '只能为您主管的团队保存视图',
    en: 'you may share a view only with a team you supervise',
  },
  viewQueryTooLong: { 'zh-CN': '过长', en: 'is too long' },
  viewsFull: (max: number): Bilingual => ({
    'zh-CN': `最多保存 ${max} 个视图`,
    en: `at most ${max} views may be saved there`,
  }),

  // send-message
  messageCaseClosed: { 'zh-CN': '此案件已结案，不能再发消息', en: 'This case is closed: no more messages can be sent' },
  stepMoved: {
    'zh-CN': '此环节刚刚已被处理，请刷新页面后再试',
    en: 'The step was just decided or moved on: reload the case and try again',
  },
  noSuchCannedReply: { 'zh-CN': '没有这条常用回复', en: 'no such canned reply' },
  noRespondentToWrite: { 'zh-CN': '此案件没有被投诉方的联系邮箱', en: 'this case has no respondent to write to' },
  messageAttachmentUnknown: (id: string): Bilingual => ({
    'zh-CN': `附件 ${id} 不是此案件已检查通过的文件`,
    en: `attachment ${id} is not a checked file of this case`,
  }),
  awaitAnswerWrongStep: {
    'zh-CN': '只有在受理审核、调查、答复或复核环节才能等待回复',
    en: 'a message can await an answer only while the case is on its acceptance, investigation, reply or review step',
  },
  mustBeFuture: { 'zh-CN': '必须是将来的时间', en: 'must be in the future' },

  // withdraw
  withdrawClosed: { 'zh-CN': '该投诉已结束，无法撤回', en: 'This complaint has already ended; it cannot be withdrawn' },
  withdrawBusy: {
    'zh-CN': '您的投诉刚刚有了处理进展，请稍后再撤回',
    en: 'Your complaint is changing right now; please withdraw again in a minute',
  },

  // shared/decide-task
  decisionNotPassedOn: {
    'zh-CN': '暂时无法提交，您的决定尚未记录',
    en: 'Your decision could not be recorded just now',
  },
  decisionNotPassedOnDetail: {
    'zh-CN': '此链接仍然有效，请稍后再提交一次。',
    en: 'This link still works: please submit it again in a minute.',
  },

  // shared/escalate-step
  runningLateNote: {
    'zh-CN': '处理已延误，预计于新的期限前答复',
    en: 'Running late; an answer is expected by the new deadline',
  },

  // staff-reassign
  noOpenStaffTask: { 'zh-CN': '此案件当前没有可改派的任务', en: 'This case has no open staff task to reassign' },
  reassignToTeamMember: { 'zh-CN': '请选择本团队的另一名成员', en: 'choose another member of the case’s team' },

  // staff-sign-in
  staffSignInLimited: { 'zh-CN': '登录请求过于频繁，请稍后再试', en: 'Too many sign-in requests; try again later' },

  // webhook-log
  webhookHourInvalid: {
    'zh-CN': '小时须为 UTC 时间，格式如 2026-12-07T13',
    en: 'hour must be a UTC clock hour such as 2026-12-07T13',
  },
} as const satisfies Record<string, Bilingual | ((...values: never[]) => Bilingual)>;
