/**
 * What each route of the catalog answers, for the API description (http/shared/openapi.ts): who may call
 * it, the url-encoded form its pages post, every status it answers and the schema of each JSON
 * body. The integration suite checks every response it receives against the served document
 * (test/support/api-contract.ts), so an entry here that says less or other than the handler does
 * fails a test. A route in the catalog with no entry here fails test/unit/api-contract.test.ts.
 */

/** A JSON Schema (2020-12), as OpenAPI 3.1 takes it. */
export type Schema = Record<string, unknown>;

/** How a caller shows it may call the route. */
export type Access =
  /** Anyone (the form, the description, intake). */
  | 'public'
  /** The secret in the path is the capability (task, sign-in and held-filing links). */
  | 'link'
  /** The complaint's tracking token: `Authorization: Bearer`, `?token=`, or the form's `token` field. */
  | 'tracking'
  /** A staff session cookie; a state-changing request also carries the page nonce (header or form field). */
  | 'staff'
  /** Signed by the platform beside the desk: `redress-timestamp` and `redress-signature` (docs/webhooks.md). */
  | 'signed';

/** One successful answer. */
export interface Success {
  description: string;
  /** A JSON body, by its name in RESPONSE_SCHEMAS. */
  json?: ResponseSchemaName;
  /** An HTML page. */
  page?: boolean;
  /** A CSV file. */
  csv?: boolean;
  /** A 303 to a page (`Location`), no body. */
  redirect?: boolean;
}

export interface RouteContract {
  access: Access;
  /** The url-encoded form the product's own pages post to it (its fields). */
  form?: Schema;
  /** Whether the request may also be JSON when the catalog names no `body` schema (the form's fields as JSON). */
  formAsJson?: boolean;
  /** Whether it answers JSON when asked (`accept: application/json`); false: pages only, its problems are problem+json. */
  answersJson: boolean;
  /** Every successful answer, by status. */
  ok: Record<number, Success>;
  /** The problems its own rules answer (those every route may answer are added: see `commonProblems`). */
  problems: Record<number, string>;
  /** Problems it answers as a page to a browser (every route now does: lib/http.ts `problem`; kept for the form routes' own pages). */
  problemPages?: boolean;
}

const text = (maxLength?: number): Schema => ({ type: 'string', ...(maxLength ? { maxLength } : {}) });
const dateTime: Schema = { type: 'string', format: 'date-time' };
const counts: Schema = { type: 'object', additionalProperties: { type: 'number' } };
const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
});

/** The schemas of the JSON success bodies. */
export const RESPONSE_SCHEMAS = {
  // The conversation (docs/conversation.md).
  MessageSent: obj({
    message: obj(
      {
        to: { enum: ['complainant', 'respondent'] },
        text: text(),
        by: text(),
        at: dateTime,
        awaitUntil: dateTime,
        attachments: { type: 'array', items: { type: 'object' } },
      },
      ['to', 'text', 'by', 'at', 'attachments'],
    ),
    awaiting: { type: 'boolean' },
  }),
  MessageReceived: obj({ sent: { const: true }, at: dateTime, answeredWait: { type: 'boolean' } }),
  RespondentView: obj({
    number: text(),
    open: { type: 'boolean' },
    messages: { type: 'array', items: { type: 'object' } },
    // The files the respondent uploaded from the link and the desk recorded (to attach to an answer).
    evidence: { type: 'array', items: obj({ id: text(), name: text() }) },
  }),
  CannedReplies: obj({
    replies: {
      type: 'array',
      items: obj({ id: text(), scope: text(), title: text(), text: obj({ 'zh-CN': text(), en: text() }) }, [
        'id',
        'scope',
        'title',
        'text',
      ]),
    },
    keeps: { type: 'array', items: text() },
  }),
  CannedReply: obj({ id: text(), scope: text(), title: text(), text: obj({ 'zh-CN': text(), en: text() }) }),
  CannedReplyDeleted: obj({ deleted: { const: true } }),
  Merged: obj({ merged: text(), into: obj({ id: text(), number: text() }) }),
  ApiDescription: obj({ openapi: text(), info: { type: 'object' }, paths: { type: 'object' } }),
  FiledComplaint: {
    ...obj(
      {
        id: text(),
        number: text(),
        status: text(),
        priority: { type: 'integer' },
        evidence: { type: 'object' },
        trackingUrl: { type: 'string', format: 'uri' },
        message: text(),
        duplicateOf: obj({ id: text(), number: text() }),
        uploads: {
          type: 'array',
          items: obj({
            evidenceId: text(),
            fileName: text(),
            url: { type: 'string', format: 'uri' },
            fields: { type: 'object', additionalProperties: { type: 'string' } },
            maxBytes: { type: 'integer' },
            expiresAt: dateTime,
          }),
        },
      },
      ['status'],
    ),
    description:
      'A new complaint: id, number, status, priority, evidence asked for and (public route) the private tracking link. A repeat of an open case or a held filing: status and message only (staff see `duplicateOf`). Staff who declared the caller’s files (`evidence`) get one presigned upload per file (`uploads`).',
  },
  EvidenceUploadGrant: obj({
    url: { type: 'string', format: 'uri' },
    fields: { type: 'object', additionalProperties: { type: 'string' } },
    maxBytes: { type: 'integer' },
    expiresAt: dateTime,
  }),
  ReminderSent: obj({ sentAt: dateTime, nextReminderAt: dateTime }),
  ActionRecorded: obj({
    complaintId: text(),
    action: { enum: ['lock-subject', 'remove-content', 'warn-user', 'restore-account', 'protect-privacy'] },
    confirmedAt: dateTime,
  }),
  AdditionConfirmed: obj({ confirmed: dateTime }),
  TrackingLinkReplaced: obj({ replacedAt: dateTime }),
  Withdrawn: obj({ id: text(), status: { const: 'closed' }, outcome: { const: 'withdrawn' }, closedAt: dateTime }),
  ReviewRequested: obj({ id: text(), status: { const: 'review' } }),
  TrackingView: obj(
    {
      id: text(),
      number: text(),
      status: text(),
      statusLabel: text(),
      currentStep: text(),
      overdue: { type: 'boolean' },
      outcome: text(),
      outcomeLabel: text(),
      closedAt: dateTime,
      standing: { type: 'object' },
      language: { enum: ['zh-CN', 'en'] },
      receivedAt: dateTime,
      updatedAt: dateTime,
      complaint: {
        type: 'object',
        properties: { channel: text(), category: text() },
        required: ['channel', 'category'],
      },
      history: { type: 'array', items: { type: 'object' } },
      evidence: {
        type: 'array',
        items: obj({ name: text(), contentType: text(), size: { type: 'integer' }, addedAt: dateTime }),
      },
      erasureRequestedAt: dateTime,
      erasureDueAt: dateTime,
      legalHold: obj({ reason: text(), at: dateTime }),
    },
    ['id', 'number', 'status', 'statusLabel', 'language', 'receivedAt', 'complaint', 'history', 'evidence'],
  ),
  OpenTask: obj(
    {
      state: { const: 'open' },
      step: text(),
      role: text(),
      level: { type: 'integer' },
      deadlineAt: dateTime,
      question: text(),
      nonce: text(),
      language: { enum: ['zh-CN', 'en'] },
      complaint: obj({ number: text(), status: text(), category: text() }),
    },
    ['state', 'step', 'role', 'deadlineAt', 'nonce', 'language', 'complaint'],
  ),
  TaskMessage: {
    ...obj({ status: { type: 'integer' }, title: text(), message: text() }),
    description: 'What became of a decision (recorded), in the reader’s language',
  },
  SignInRequested: obj({ message: text() }),
  StaffQueue: obj(
    {
      me: obj({ email: text(), role: text() }),
      nonce: text(),
      items: {
        type: 'array',
        items: obj(
          {
            id: text(),
            number: text(),
            category: text(),
            status: text(),
            deadlineState: text(),
            flagged: { type: 'boolean' },
          },
          ['id', 'number', 'category', 'status', 'flagged'],
        ),
      },
      nextCursor: text(),
    },
    ['me', 'nonce', 'items'],
  ),
  StaffCase: obj(
    {
      complaint: { type: 'object', properties: { id: text(), number: text() }, required: ['id', 'number'] },
      events: { type: 'array', items: { type: 'object' } },
      evidence: { type: 'array', items: { type: 'object' } },
      task: { type: ['object', 'null'] },
      mayAct: { type: 'boolean' },
      reassignTo: { type: 'array', items: text() },
      declared: { type: 'array', items: { type: 'object' } },
    },
    ['complaint', 'events', 'evidence', 'task', 'mayAct'],
  ),
  // Case views (GET /staff/cases, saved views, bulk actions, the board): http/staff-cases.ts and beside it.
  CasePage: obj(
    {
      me: obj({ email: text(), role: text() }),
      items: {
        type: 'array',
        items: obj(
          {
            id: text(),
            number: text(),
            summary: text(),
            complainant: obj({ name: text(), email: text() }),
            category: text(),
            team: text(),
            channel: text(),
            priority: { type: 'integer' },
            status: text(),
            outcome: text(),
            step: text(),
            level: { type: 'integer' },
            breached: { type: 'boolean' },
            flagged: { type: 'boolean' },
            holder: text(),
            due: obj({ state: { enum: ['none', 'on-time', 'due-soon', 'late'] }, at: dateTime, since: dateTime }, [
              'state',
            ]),
            receivedAt: dateTime,
            updatedAt: dateTime,
          },
          [
            'id',
            'number',
            'summary',
            'complainant',
            'category',
            'channel',
            'status',
            'breached',
            'flagged',
            'due',
            'receivedAt',
            'updatedAt',
          ],
        ),
      },
      nextCursor: text(),
      search: { enum: ['number', 'number-part', 'email', 'name-or-subject', 'too-short'] },
    },
    ['me', 'items'],
  ),
  SavedViews: obj({
    views: {
      type: 'array',
      items: obj(
        {
          id: text(),
          name: text(),
          query: text(),
          scope: { enum: ['default', 'personal', 'team'] },
          team: text(),
          count: { type: 'integer' },
          more: { type: 'boolean' },
        },
        ['id', 'name', 'query', 'scope', 'count', 'more'],
      ),
    },
  }),
  SavedView: obj({
    view: obj(
      { id: text(), name: text(), query: text(), owner: { type: 'object' }, createdBy: text(), createdAt: dateTime },
      ['id', 'name', 'query', 'owner'],
    ),
  }),
  BulkOutcomes: obj({
    outcomes: {
      type: 'array',
      items: obj({ id: text(), number: text(), ok: { type: 'boolean' }, message: text(), type: text() }, ['id', 'ok']),
    },
  }),
  Board: obj({
    teams: {
      type: 'array',
      items: obj({ team: text(), figures: { type: 'object' }, oldestBreached: { type: 'array' } }),
    },
    refreshedAt: dateTime,
  }),
  Reassigned: obj({ reassignedTo: text() }),
  Noted: obj({ noted: { const: true } }),
  // Personal-data rights (docs/rights.md).
  ErasureRequested: obj(
    { id: text(), erasureRequestedAt: dateTime, erasureDueAt: dateTime, legalHold: { const: true } },
    ['id', 'erasureRequestedAt', 'erasureDueAt'],
  ),
  LegalHoldSet: obj({ held: { type: 'boolean' } }),
  ContactCorrected: obj({ id: text(), name: text(), pendingEmail: text(), confirmBy: dateTime }, ['id']),
  Analytics: {
    ...obj(
      {
        range: { type: 'object', properties: { from: text(), to: text(), groupBy: text() } },
        received: { type: 'object', properties: { total: { type: 'integer' }, byCategory: counts } },
        serviceLevels: { type: 'object' },
      },
      ['range', 'received', 'serviceLevels'],
    ),
    description: 'The desk’s figures over the range (see docs/usage.md, analytics)',
  },
  WeeklyReportSent: { type: 'object', description: 'What the run of weekly reports sent now came to' },
  WebhookLog: {
    ...obj(
      {
        from: text(),
        to: text(),
        older: text(),
        webhooks: { type: 'array', items: obj({ id: text(), url: text(), events: { type: 'array', items: text() } }) },
        tries: {
          type: 'array',
          items: obj(
            {
              at: dateTime,
              webhook: text(),
              eventId: text(),
              type: text(),
              complaintId: text(),
              attempt: { type: 'integer' },
              ok: { type: 'boolean' },
              status: { type: 'integer' },
              error: text(),
              ms: { type: 'number' },
              gaveUp: { type: 'boolean' },
            },
            ['at', 'webhook', 'eventId', 'type', 'ok', 'ms'],
          ),
        },
      },
      ['from', 'to', 'older', 'webhooks', 'tries'],
    ),
    description: 'Every webhook delivery try from the hour `from` back to `to` (UTC), newest first (docs/webhooks.md)',
  },
} satisfies Record<string, Schema>;

export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;

/** The form a tracking page's button posts: the token rides in the form (no script, no header). */
const trackingForm = (extra: Record<string, Schema> = {}, required: string[] = []): Schema =>
  obj({ token: text(), ...extra }, ['token', ...required]);
/** A staff page's form: its nonce and fields. */
const staffForm = (extra: Record<string, Schema> = {}, required: string[] = []): Schema =>
  obj({ nonce: text(), ...extra }, ['nonce', ...required]);
const decisionForm: Schema = {
  ...obj({ nonce: text(), decision: text() }, ['nonce', 'decision']),
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  description:
    'The task page’s form: its nonce, the decision and that step’s fields (reason, findings, reply…; a checkbox field may repeat)',
};

const page = (description: string): Success => ({ description, page: true });
const backToTracking: Success = {
  description: 'From the tracking page’s form: back to the tracking page, with a notice saying what happened',
  redirect: true,
};
const staffBack: Success = { description: 'From the page’s form: back to the page, with a notice', redirect: true };

/** Every route's contract, by `METHOD /path` as the catalog names it. */
export const ROUTE_CONTRACTS: Record<string, RouteContract> = {
  // The conversation (docs/conversation.md).
  'POST /staff/complaints/{id}/messages': {
    access: 'staff',
    form: staffForm(
      {
        to: { enum: ['complainant', 'respondent'] },
        text: text(5000),
        canned: text(),
        awaitAnswer: text(),
        answerWithinDays: text(),
        answerBy: text(),
        attachments: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      },
      ['to'],
    ),
    formAsJson: true,
    answersJson: true,
    ok: {
      201: { description: 'Sent (and, awaiting an answer, the step paused)', json: 'MessageSent' },
      303: staffBack,
    },
    problems: {
      400: 'A field is missing or wrong (each named)',
      404: 'No such case',
      409: 'The case is closed, or its step was just decided',
    },
  },
  'POST /staff/complaints/{id}/attachments': {
    access: 'staff',
    // The case page without its script asks by a plain form (its nonce only): it gets the store's upload form.
    form: staffForm(),
    formAsJson: true,
    answersJson: true,
    ok: {
      200: page('From the page’s plain form: the form that uploads one file to the evidence store, then back'),
      201: { description: 'A presigned upload for a file to send with a message', json: 'EvidenceUploadGrant' },
    },
    problems: { 400: 'The file is not one the desk takes', 404: 'No such case', 409: 'Closed, or no more files' },
  },
  'POST /staff/complaints/{id}/merge': {
    access: 'staff',
    form: staffForm({ into: text() }, ['into']),
    formAsJson: true,
    answersJson: true,
    ok: {
      200: { description: 'Merged: the case is closed into the other', json: 'Merged' },
      303: { description: 'From the form: on to the surviving case', redirect: true },
    },
    problems: {
      400: 'The case to merge into is missing, closed or another complainant’s',
      404: 'No such case',
      409: 'The case is closed, or changing right now',
    },
  },
  'GET /staff/canned-replies': {
    access: 'staff',
    answersJson: true,
    ok: { 200: { description: 'The canned replies (JSON, or the page)', json: 'CannedReplies', page: true } },
    problems: {},
  },
  'POST /staff/canned-replies': {
    access: 'staff',
    form: staffForm({
      scope: text(),
      title: text(120),
      textZh: text(5000),
      textEn: text(5000),
      id: text(),
      delete: text(),
    }),
    formAsJson: true,
    answersJson: true,
    problemPages: true,
    ok: {
      200: { description: 'Removed', json: 'CannedReplyDeleted' },
      201: { description: 'Saved', json: 'CannedReply' },
      303: staffBack,
    },
    problems: {
      400: 'A field is missing or wrong, or names an unknown placeholder (each named)',
      409: 'The scope is full',
    },
  },
  'POST /complaints/{id}/messages': {
    access: 'tracking',
    form: trackingForm({ text: text(5000) }, ['text']),
    answersJson: true,
    ok: { 201: { description: 'Written to the desk', json: 'MessageReceived' }, 303: backToTracking },
    problems: { 404: 'No complaint at this link', 409: 'The case is closed' },
  },
  'GET /respond/{id}': {
    access: 'link',
    answersJson: true,
    ok: {
      200: {
        description: 'The desk’s messages to the respondent and their answers',
        json: 'RespondentView',
        page: true,
      },
    },
    problems: { 404: 'Nothing at this link (a wrong token looks the same)' },
  },
  'POST /respond/{id}': {
    access: 'link',
    form: obj(
      {
        token: text(),
        text: text(5000),
        attachments: {
          description: 'Ids of files the respondent uploaded from the link (repeated, or a list in JSON)',
        },
      },
      ['token', 'text'],
    ),
    formAsJson: true,
    answersJson: true,
    ok: {
      201: { description: 'Written to the desk', json: 'MessageReceived' },
      303: { description: 'From the page’s form: back to the page', redirect: true },
    },
    problems: { 404: 'Nothing at this link', 409: 'The case is closed' },
  },
  'POST /respond/{id}/attachments': {
    access: 'link',
    // The page without its script asks by a plain form (its token only): it gets the store's upload form.
    form: obj({ token: text() }, ['token']),
    answersJson: true,
    ok: {
      200: page('From the page’s plain form: the form that uploads one file to the evidence store, then back'),
      201: {
        description: 'A presigned upload for a file the respondent attaches to an answer',
        json: 'EvidenceUploadGrant',
      },
    },
    problems: {
      400: 'The file is not one the desk takes',
      404: 'Nothing at this link',
      409: 'Closed, or no more files',
    },
  },
  'GET /complaints/{id}/files/{fileId}': {
    access: 'tracking',
    answersJson: false,
    ok: { 302: { description: 'A file the desk sent: on to a download link that expires in minutes', redirect: true } },
    problems: { 404: 'No such file for this reader' },
  },
  'GET /respond/{id}/files/{fileId}': {
    access: 'link',
    answersJson: false,
    ok: { 302: { description: 'A file the desk sent: on to a download link that expires in minutes', redirect: true } },
    problems: { 404: 'No such file for this reader' },
  },
  'GET /': { access: 'public', answersJson: false, ok: { 200: page('The complaint form') }, problems: {} },
  'GET /openapi.json': {
    access: 'public',
    answersJson: true,
    ok: { 200: { description: 'This document', json: 'ApiDescription' } },
    problems: {},
  },
  'POST /complaints': {
    access: 'public',
    answersJson: true,
    ok: {
      201: { description: 'Filed (or the same answer again for a repeated Idempotency-Key)', json: 'FiledComplaint' },
      202: {
        description: 'Held: a matter with a final ruling, until its sender confirms by mail',
        json: 'FiledComplaint',
      },
    },
    problems: {
      403: 'The complainant is banned from filing for a while',
      422: 'Out of scope (with where else to go), or an Idempotency-Key reused with another body',
      429: 'Too many filings from this complainant: Retry-After',
    },
  },
  'GET /complaints/{id}/evidence': {
    access: 'tracking',
    answersJson: false,
    ok: { 200: page('The evidence upload page') },
    problems: { 404: 'No complaint at this link' },
  },
  'POST /complaints/{id}/evidence': {
    access: 'tracking',
    // The page without its script asks by a plain form (its token only): it gets the store's upload form.
    form: obj({ token: text() }, ['token']),
    answersJson: true,
    ok: {
      200: page('From the page’s plain form: the form that uploads one file to the evidence store, then back'),
      201: { description: 'A presigned S3 POST for the one file', json: 'EvidenceUploadGrant' },
    },
    problems: { 404: 'No complaint at this link', 409: 'The case takes no more evidence', 422: 'Too many files' },
  },
  'POST /complaints/{id}/reminders': {
    access: 'tracking',
    form: trackingForm(),
    answersJson: true,
    ok: { 201: { description: 'The reminder was sent', json: 'ReminderSent' }, 303: backToTracking },
    problems: {
      404: 'No complaint at this link',
      409: 'The case is closed, or nobody holds it',
      429: 'A reminder was sent less than a day ago: Retry-After',
    },
  },
  'GET /s/{code}': {
    access: 'link',
    answersJson: false,
    ok: { 302: { description: 'A short link from a text: on to the link it stands for', redirect: true } },
    problems: { 404: 'No such short link, or it has expired' },
  },
  'GET /held-filings/{linkId}': {
    access: 'link',
    answersJson: false,
    problemPages: true,
    ok: { 200: page('What confirming means, and its button') },
    problems: { 410: 'The link was used, has expired or is not valid' },
  },
  'POST /held-filings/{linkId}': {
    access: 'link',
    form: obj({}, []),
    answersJson: false,
    problemPages: true,
    ok: { 200: page('Confirmed: the ban is recorded') },
    problems: { 410: 'The link was used, has expired or is not valid' },
  },
  'POST /complaints/{id}/additions/confirmation': {
    access: 'tracking',
    form: trackingForm({ at: dateTime }, ['at']),
    formAsJson: true,
    answersJson: true,
    ok: { 200: { description: 'Confirmed as the complainant’s own', json: 'AdditionConfirmed' }, 303: backToTracking },
    problems: { 404: 'No complaint at this link' },
  },
  'POST /complaints/{id}/tracking-link': {
    access: 'tracking',
    form: trackingForm(),
    answersJson: true,
    ok: {
      200: page('From the tracking page’s form: the link was replaced and mailed (the old page no longer opens)'),
      202: { description: 'Replaced; the new link is mailed to the complainant', json: 'TrackingLinkReplaced' },
    },
    problems: { 404: 'No complaint at this link' },
  },
  'GET /complaints/{id}': {
    access: 'tracking',
    answersJson: true,
    ok: {
      200: {
        description: 'The complainant’s view of the case (JSON, or the tracking page)',
        json: 'TrackingView',
        page: true,
      },
    },
    problems: { 404: 'No complaint at this link (a wrong token looks the same)' },
    problemPages: false,
  },
  'GET /tasks/{linkId}': {
    access: 'link',
    answersJson: true,
    problemPages: true,
    ok: { 200: { description: 'The open task (JSON, or its page and form)', json: 'OpenTask', page: true } },
    problems: {
      403: 'Its holder is no longer on the desk’s staff at the task’s place',
      404: 'No such task link',
      409: 'Already decided',
      410: 'Moved on, expired, or its case ended',
    },
  },
  'POST /tasks/{linkId}': {
    access: 'link',
    form: decisionForm,
    answersJson: false,
    problemPages: true,
    ok: { 200: page('The decision was recorded (first writer wins)') },
    problems: {
      400: 'A field of the decision is missing or wrong: the form again with each error',
      403: 'Its holder is no longer on the desk’s staff at the task’s place',
      404: 'No such task link',
      409: 'Already decided',
      410: 'Moved on, expired, or its case ended',
      503: 'Not recorded this time; the link still works: Retry-After',
    },
  },
  'POST /integrations/actions': {
    access: 'signed',
    answersJson: true,
    ok: {
      200: { description: 'The same report again: recorded once, its first time', json: 'ActionRecorded' },
      201: { description: 'The action is recorded in the case history', json: 'ActionRecorded' },
    },
    problems: {
      401: 'The signature is missing, stale (over 5 minutes) or made with no active inbound secret',
      404: 'No such complaint',
    },
  },
  'POST /complaints/{id}/withdrawal': {
    access: 'tracking',
    form: trackingForm({ reason: text(2000) }),
    answersJson: true,
    ok: { 200: { description: 'Withdrawn: the case is closed', json: 'Withdrawn' }, 303: backToTracking },
    problems: { 404: 'No complaint at this link', 409: 'The case has ended, or a decision on it is in flight' },
  },
  'POST /complaints/{id}/review-request': {
    access: 'tracking',
    form: trackingForm({ reason: text(2000) }, ['reason']),
    answersJson: true,
    ok: { 202: { description: 'The review (复核) starts', json: 'ReviewRequested' }, 303: backToTracking },
    problems: { 404: 'No complaint at this link', 409: 'No review can be asked for now (once, within the window)' },
  },
  'GET /staff': { access: 'public', answersJson: false, ok: { 200: page('The staff sign-in page') }, problems: {} },
  'POST /staff/sign-in': {
    access: 'public',
    form: obj({ email: { type: 'string', format: 'email' } }),
    answersJson: true,
    ok: {
      200: page('The same page for any address: a sign-in link is on its way if it belongs to the desk'),
      202: { description: 'The same answer for any address', json: 'SignInRequested' },
    },
    problems: { 429: 'Too many sign-in requests: Retry-After' },
  },
  'GET /staff/sign-in/{linkId}': {
    access: 'link',
    answersJson: false,
    problemPages: true,
    ok: { 200: page('A button that signs in (a GET signs nobody in)') },
    problems: { 410: 'The link was used, has expired or is not valid' },
  },
  'POST /staff/sign-in/{linkId}': {
    access: 'link',
    form: obj({ nonce: text() }),
    answersJson: false,
    problemPages: true,
    ok: { 303: { description: 'Signed in: the session cookie is set; on to the queue', redirect: true } },
    problems: { 410: 'The link was used, has expired or is not valid' },
  },
  'POST /staff/sign-out': {
    access: 'staff',
    form: staffForm(),
    answersJson: false,
    ok: { 303: { description: 'Signed out: the cookie is cleared; on to the sign-in page', redirect: true } },
    problems: {},
  },
  'GET /staff/queue': {
    access: 'staff',
    answersJson: true,
    ok: { 200: { description: 'A page of open tasks (JSON, or the queue page)', json: 'StaffQueue', page: true } },
    problems: { 400: 'A filter is not valid' },
  },
  'GET /staff/complaints/{id}': {
    access: 'staff',
    answersJson: true,
    ok: { 200: { description: 'The whole case (JSON, or the case page)', json: 'StaffCase', page: true } },
    problems: { 404: 'No such case' },
  },
  'POST /staff/complaints/{id}': {
    access: 'staff',
    form: decisionForm,
    formAsJson: true,
    answersJson: true,
    problemPages: true,
    ok: { 200: { description: 'The decision was recorded', json: 'TaskMessage', page: true } },
    problems: {
      400: 'A field of the decision is missing or wrong (a page: the case again with each error)',
      404: 'No such case',
      409: 'Already decided, or the case moved on',
      410: 'The task moved on or its case ended',
    },
  },
  'POST /staff/complaints/{id}/reassignment': {
    access: 'staff',
    form: staffForm({ to: text(), reason: text(2000) }, ['to', 'reason']),
    formAsJson: true,
    answersJson: true,
    ok: { 200: { description: 'Reassigned', json: 'Reassigned' }, 303: staffBack },
    problems: { 400: 'A field is missing or wrong', 404: 'No such case', 409: 'No open task to reassign' },
  },
  'POST /staff/complaints/{id}/notes': {
    access: 'staff',
    form: staffForm({ note: text(4000) }, ['note']),
    formAsJson: true,
    answersJson: true,
    ok: { 200: { description: 'Noted', json: 'Noted' }, 303: staffBack },
    problems: { 400: 'The note is missing or too long', 404: 'No such case' },
  },
  'GET /staff/complaints': {
    access: 'staff',
    answersJson: false,
    ok: { 200: page('The form for a complaint entered on a complainant’s behalf') },
    problems: {},
  },
  'POST /staff/complaints': {
    access: 'staff',
    form: {
      ...obj({ nonce: text() }),
      additionalProperties: { type: 'string' },
      description: 'The staff form: its nonce and the complaint’s fields (as the JSON body names them, flattened)',
    },
    answersJson: true,
    ok: {
      200: page('From the form: filed (or landed on an open case), or the form again with what is wrong'),
      201: { description: 'Filed, or joined to an open case (duplicateOf)', json: 'FiledComplaint', page: true },
      202: { description: 'Held: a matter with a final ruling', json: 'FiledComplaint', page: true },
    },
    problems: {
      403: 'The complainant is banned from filing for a while',
      422: 'Out of scope, or an Idempotency-Key reused with another body',
      429: 'Too many filings from this complainant: Retry-After',
    },
    problemPages: true,
  },
  'GET /reports/unsubscribe/{token}': {
    access: 'link',
    answersJson: false,
    problemPages: true,
    ok: { 200: page('What unsubscribing does, and its button') },
    problems: { 404: 'Not an unsubscribe link of this desk' },
  },
  'POST /reports/unsubscribe/{token}': {
    access: 'link',
    form: obj({ 'List-Unsubscribe': { const: 'One-Click' } }, []),
    answersJson: false,
    problemPages: true,
    ok: { 200: page('Unsubscribed: no more weekly reports to the address') },
    problems: { 404: 'Not an unsubscribe link of this desk' },
  },
  'GET /staff/cases': {
    access: 'staff',
    answersJson: true,
    ok: {
      200: { description: 'A page of the cases in scope (JSON, or the cases page)', json: 'CasePage', page: true },
    },
    problems: { 400: 'A filter, the sort or the page size is not valid (each named)' },
  },
  'GET /staff/cases.csv': {
    access: 'staff',
    answersJson: false,
    ok: { 200: { description: 'The same view as CSV (UTF-8 with BOM), one page', csv: true } },
    problems: { 400: 'A filter, the sort or the page size is not valid (each named)' },
  },
  'GET /staff/views': {
    access: 'staff',
    answersJson: true,
    ok: { 200: { description: 'The reader’s views with their counts', json: 'SavedViews' } },
    problems: {},
  },
  'POST /staff/views': {
    access: 'staff',
    form: staffForm({ name: text(60), scope: text(), query: text(2000) }, ['name', 'query']),
    formAsJson: true,
    answersJson: true,
    ok: {
      201: { description: 'Saved', json: 'SavedView' },
      303: { description: 'From the page’s form: on to the saved view, with a notice', redirect: true },
    },
    problems: { 400: 'The name, the scope or the query is not valid, or the owner has 50 views' },
  },
  'POST /staff/cases/bulk': {
    access: 'staff',
    form: staffForm(
      {
        action: text(),
        ids: { oneOf: [text(64), { type: 'array', items: text(64) }] },
        to: text(),
        text: text(2000),
        reply: text(),
      },
      ['action', 'ids'],
    ),
    formAsJson: true,
    answersJson: true,
    ok: {
      200: { description: 'Each row’s outcome: done, or why not (JSON, or a page)', json: 'BulkOutcomes', page: true },
    },
    problems: { 400: 'No action of that name, no row picked, or more than 100' },
  },
  'GET /staff/board': {
    access: 'staff',
    answersJson: true,
    ok: { 200: { description: 'The at-risk board (JSON, or the page)', json: 'Board', page: true } },
    problems: {},
  },
  'GET /staff/analytics': {
    access: 'staff',
    answersJson: true,
    ok: { 200: { description: 'The figures (JSON, or the figures page)', json: 'Analytics', page: true } },
    problems: { 400: 'The range is not valid' },
  },
  'GET /staff/analytics.csv': {
    access: 'staff',
    answersJson: false,
    ok: { 200: { description: 'The figures as CSV (UTF-8 with BOM)', csv: true } },
    problems: { 400: 'The range is not valid' },
  },
  'POST /staff/analytics/weekly-report': {
    access: 'staff',
    form: staffForm(),
    formAsJson: true,
    answersJson: true,
    ok: { 200: { description: 'Sent now', json: 'WeeklyReportSent' }, 303: staffBack },
    problems: {},
  },
  'GET /staff/webhooks': {
    access: 'staff',
    answersJson: true,
    ok: { 200: { description: 'The webhook delivery log (JSON, or its page)', json: 'WebhookLog', page: true } },
    problems: { 400: 'hour is not a UTC clock hour such as 2026-12-07T13' },
  },
  // Personal-data rights and the referral bundle (docs/rights.md).
  'GET /complaints/{id}/export': {
    access: 'tracking',
    answersJson: false,
    ok: {
      303: {
        description: `A copy of everything held about the complainant on the case: to its ZIP (<number>-export.zip) by a presigned link that lives 5 minutes`,
        redirect: true,
      },
    },
    problems: { 404: 'No complaint at this link (a wrong token looks the same)' },
  },
  'GET /complaints/{id}/referral-bundle': {
    access: 'tracking',
    answersJson: false,
    ok: {
      303: {
        description: `The case as a bundle to hand over, with its sha256 manifest: to its ZIP (<number>-referral-bundle.zip) by a presigned link that lives 5 minutes`,
        redirect: true,
      },
    },
    problems: { 404: 'No complaint at this link (a wrong token looks the same)' },
  },
  'GET /staff/complaints/{id}/referral-bundle': {
    access: 'staff',
    answersJson: false,
    ok: {
      303: {
        description: `The whole case as a bundle to hand over, with its sha256 manifest: to its ZIP (<number>-referral-bundle.zip) by a presigned link that lives 5 minutes; or, with no staff session, to the sign-in page`,
        redirect: true,
      },
    },
    problems: { 404: 'No such case' },
  },
  'POST /complaints/{id}/erasure-request': {
    access: 'tracking',
    form: trackingForm({ confirm: { const: 'yes' } }, ['confirm']),
    formAsJson: true,
    answersJson: true,
    ok: { 202: { description: 'Erasure asked for: by when', json: 'ErasureRequested' }, 303: backToTracking },
    problems: {
      400: 'Not confirmed (confirm=yes)',
      404: 'No complaint at this link',
      409: 'Erasure was already asked for, or the case is changing',
    },
  },
  'POST /staff/complaints/{id}/legal-hold': {
    access: 'staff',
    form: staffForm({ action: { enum: ['place', 'release'] }, reason: text(2000) }, ['action']),
    formAsJson: true,
    answersJson: true,
    ok: { 200: { description: 'Whether the case is now held', json: 'LegalHoldSet' }, 303: staffBack },
    problems: {
      400: 'No action, or a hold without a reason',
      404: 'No such case',
      409: 'A hold is in place already (or none to release), or the case is erased or being erased',
    },
  },
  'POST /complaints/{id}/contact': {
    access: 'tracking',
    form: trackingForm({ name: text(100), email: text(254) }),
    formAsJson: true,
    answersJson: true,
    ok: {
      200: { description: 'Corrected (a name), or a confirmation mailed to the new address', json: 'ContactCorrected' },
      303: backToTracking,
    },
    problems: {
      400: 'Nothing to change, or a field is not valid',
      404: 'No complaint at this link',
      409: 'Erasure was asked for',
    },
  },
  'GET /complaints/{id}/contact-confirmation': {
    access: 'link',
    answersJson: false,
    ok: { 200: page('The confirmation page of a new address, with its button') },
    problems: {},
  },
  'POST /complaints/{id}/contact-confirmation': {
    access: 'link',
    form: obj({ code: text() }, ['code']),
    answersJson: false,
    problemPages: true,
    ok: { 200: page('Confirmed: the new address is in use') },
    problems: { 410: 'The link is not valid, was used, or has expired' },
  },
};

/** The problems any route may answer, beside its own. */
export function commonProblems(method: string, path: string, contract: RouteContract): Record<number, string> {
  const problems: Record<number, string> = {};
  // A malformed path or body, said by the gateway or the handler.
  if (method === 'POST' || path.includes('{')) problems[400] = 'The request is malformed';
  if (contract.access === 'staff') {
    problems[401] = 'No staff session (JSON; a page goes to the sign-in page)';
    problems[403] = 'Not allowed to this member, or the page nonce is out of date';
  }
  if (method === 'POST') {
    problems[413] = 'The body is too large';
    problems[415] = 'The body is not of a type the route takes';
  }
  problems[429] =
    'Too many requests: the API’s throttling or the route’s own limit; Retry-After says when to try again';
  problems[500] = 'Something went wrong on the server; nothing half-written';
  problems[503] = 'Busy or a dependency unavailable; nothing was written: Retry-After';
  return problems;
}
