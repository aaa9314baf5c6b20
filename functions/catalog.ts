/**
 * Every function Redress runs, and what triggers it. The CDK stack builds one Lambda per entry
 * and wires its triggers; the local stack serves the same routes and invokes the same modules.
 * One list, so the cloud and the laptop cannot drift apart.
 */

import type { PartitionName } from './store/schema';

export type HttpMethod = 'GET' | 'POST';

/**
 * The API's catch-all: a greedy resource answered for any method. API Gateway chooses a route's own
 * resource first, so only an address no route has reaches it; its function answers the 404 page in
 * the reader's language or problem+json (a gateway response cannot read Accept-Language).
 */
export const UNKNOWN_ADDRESS_RESOURCE = '/{proxy+}';

export interface HttpRoute {
  method: HttpMethod;
  /** API Gateway resource path, with {placeholders}. */
  path: string;
  /** What the route does, for the API description (GET /openapi.json); every route has one. */
  summary: string;
  /** The JSON body it takes, described from the schema that validates it (http/shared/api-schemas.ts). */
  body?: RequestBodyName;
  /** A route of the staff desk: it needs a staff session. */
  staff?: boolean;
}

/** The request bodies the API description knows, by name (schemas in http/shared/api-schemas.ts). */
export type RequestBodyName =
  | 'publicComplaint'
  | 'staffComplaint'
  | 'evidenceUpload'
  | 'withdrawal'
  | 'reviewRequest'
  | 'staffSignIn'
  | 'integrationAction';

export interface FunctionSpec {
  /** PascalCase CDK id; also the local name. */
  id: string;
  /** Its Lambda timeout (default 20 s; at most 29 s behind the API, whose integration waits 29 s). */
  timeoutSeconds?: number;
  /** Module under functions/, without extension; it exports `handler`. */
  entry: string;
  /** What it is for, shown as the Lambda's description. */
  description: string;
  routes?: HttpRoute[];
  /** Also answers every address no route has (UNKNOWN_ADDRESS_RESOURCE, any method); one function has it. */
  answersUnknownAddresses?: boolean;
  /** Placeholder in the workflow definition that receives this function's ARN. */
  workflowArnPlaceholder?: string;
  /** Runs on a schedule, every this many minutes. */
  everyMinutes?: number;
  // What it may touch, and nothing more: the CDK stack grants exactly these (least privilege).
  /** The complaints table: read (Get, Query) or write (also Put, Update, Delete, ConditionCheck). */
  table?: 'read' | 'write';
  /** With `table: 'write'`: the partitions it writes (PARTITIONS in functions/store/schema.ts), and no others: IAM grants its writes on those partition keys alone (dynamodb:LeadingKeys), and the local stack refuses any other. */
  tableWrites?: readonly PartitionName[];
  /** Bulk table calls beyond single items, granted only where named: batch reads, batch writes, a scan of the table (the analytics rebuild). */
  tableBulk?: readonly ('batchGet' | 'batchWrite' | 'scan')[];
  /** Workflow calls: start executions, signal tasks (SendTaskSuccess/Failure), stop executions, describe executions. */
  workflow?: readonly ('start' | 'signal' | 'stop' | 'describe')[];
  /** Evidence objects: presign uploads, presign downloads, check and quarantine what landed, or delete a complaint's. */
  evidence?: 'upload' | 'download' | 'review' | 'purge';
  /** Writes case archives under `exports/` of the evidence bucket and presigns their downloads (store/archive-objects.ts). */
  archives?: boolean;
  /** Makes or checks tracking links (reads the link-signing key). */
  signsLinks?: boolean;
  /** Sends email through SES. */
  sendsEmail?: boolean;
  /** Sends text messages (End User Messaging SMS SendTextMessage from the desk's origination identity). */
  sendsTexts?: boolean;
  /** Runs on texts to the desk's number (two-way SMS → SNS; locally the phone stand-in invokes it). */
  onInboundText?: boolean;
  /** Serves a page whose script uploads evidence straight to the bucket: it names the bucket's origin in its Content-Security-Policy (no S3 access). */
  pageUploadsEvidence?: boolean;
  /** Runs on S3 ObjectCreated under `complaints/` in the evidence bucket (locally: the local S3's events). */
  onEvidenceUploaded?: boolean;
  /** Runs on the table's stream when TTL deletes a complaint record (none locally: DynamoDB Local does not expire items). */
  onRecordExpired?: boolean;
  /** Runs on SES receipt of mail to the inbound domain (Lambda action after the S3 action; reads `inbound/`), when `desk.inbound.enabled`; locally the SMTP stand-in invokes it. */
  onInboundMail?: boolean;
  /** Runs on SES bounce and complaint events of Redress's configuration set (EventBridge; none locally). */
  onMailEvent?: boolean;
  /** Runs on texts' delivery events (End User Messaging SMS configuration set → SNS; locally the phone stand-in invokes it). */
  onTextEvent?: boolean;
  /** Runs on the table's stream for every history event added (the desk's figures; locally a poller reads DynamoDB Local's stream). */
  onTableChange?: boolean;
  /** Runs when an execution of the workflow ends failed, timed out or stopped (EventBridge's Step Functions Execution Status Change; locally the local engine's). */
  onExecutionEnded?: boolean;
  /** Runs on the weekly report's schedule, `desk.reports.weekly` in the desk's zone (EventBridge Scheduler; locally a timer on the local clock). */
  onWeeklyReport?: boolean;
  /** Publishes the platform events its changes write (events:PutEvents on the desk's bus; locally the local bus). */
  publishesEvents?: boolean;
  /** Reads the webhook secrets: to sign deliveries, or to check the platform's signed requests. */
  webhookSecrets?: boolean;
  /** Runs on the webhook delivery queue, fed by one EventBridge rule per configured webhook (locally the local bus invokes it). */
  onWebhookDelivery?: boolean;
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'FileComplaint',
    entry: 'http/file-complaint',
    description: 'Takes a complaint, stores it with its number and starts its workflow',
    routes: [
      {
        method: 'POST',
        path: '/complaints',
        summary:
          'File a complaint (channels web and api): 201 with its number and private tracking link; a repeat of the complainant’s open case is 201 with neither (the case’s complainant is told by mail)',
        body: 'publicComplaint',
      },
    ],
    // Tells a complainant which open case a repeated filing joined.
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint', 'number', 'complainant', 'idempotency', 'filingRate', 'heldFiling', 'phone'],
    workflow: ['start'],
    signsLinks: true,
  },
  {
    id: 'ComplaintForm',
    entry: 'http/form-page',
    description: 'The public complaint form (GET /), in Chinese and English; any address no route has is its 404',
    routes: [{ method: 'GET', path: '/', summary: 'The online complaint form (page)' }],
    answersUnknownAddresses: true,
    pageUploadsEvidence: true,
  },
  {
    id: 'ApiDescription',
    entry: 'http/api-description',
    description:
      'The OpenAPI 3.1 description of every route, built from the catalog and the schemas that validate the requests',
    routes: [{ method: 'GET', path: '/openapi.json', summary: 'This API, described (OpenAPI 3.1)' }],
  },
  {
    id: 'RequestEvidenceUpload',
    entry: 'http/request-evidence-upload',
    description: 'Shows the evidence upload page and hands the holder of a tracking link a presigned S3 POST per file',
    routes: [
      {
        method: 'GET',
        path: '/complaints/{id}/evidence',
        summary: 'The evidence upload page of a tracking link (page)',
      },
      {
        method: 'POST',
        path: '/complaints/{id}/evidence',
        summary: 'A presigned S3 POST for one evidence file, by the tracking token',
        body: 'evidenceUpload',
      },
    ],
    table: 'write',
    tableWrites: ['complaint'],
    evidence: 'upload',
    signsLinks: true,
  },
  {
    id: 'RecordEvidence',
    entry: 'evidence/record-evidence',
    description: 'Checks each uploaded evidence object again and records it on the complaint, or quarantines it',
    onEvidenceUploaded: true,
    // It reads a video of up to 200 MB once and writes it again while hashing it.
    timeoutSeconds: 120,
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    evidence: 'review',
    workflow: ['signal'],
    sendsEmail: true,
    signsLinks: true,
    publishesEvents: true,
  },
  {
    id: 'ExpireEvidence',
    entry: 'evidence/expire-evidence',
    description:
      "Deletes a complaint's whole case (history, number, pointers) and evidence when its record expires (TTL)",
    onRecordExpired: true,
    table: 'write',
    tableWrites: ['complaint', 'number', 'complainant', 'taskLink', 'phone', 'shortLink', 'suppression'],
    evidence: 'purge',
  },
  {
    id: 'SendReminder',
    entry: 'http/send-reminder',
    description: 'Sends the current assignee a reminder from the complainant, at most once a day',
    routes: [
      {
        method: 'POST',
        path: '/complaints/{id}/reminders',
        summary: 'Send a reminder (催办) to whoever holds the case, once a day, by the tracking token',
      },
    ],
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    signsLinks: true,
  },
  {
    id: 'HeldFiling',
    entry: 'http/held-filing',
    description:
      'A filing about a matter with a final ruling, held until its sender confirms it from their mailbox; confirming records the ban',
    routes: [
      {
        method: 'GET',
        path: '/held-filings/{linkId}',
        summary: 'A mailed confirmation link for a held filing: says what confirming means, changes nothing (page)',
      },
      {
        method: 'POST',
        path: '/held-filings/{linkId}',
        summary: 'Confirm the held filing as the sender’s own: it counts as malicious and the ban is recorded',
      },
    ],
    table: 'write',
    tableWrites: ['heldFiling', 'complainant', 'complaint'],
  },
  {
    id: 'ConfirmAddition',
    entry: 'http/confirm-addition',
    description: 'The complainant confirms that a filing joined to their case as a repeat was theirs',
    routes: [
      {
        method: 'POST',
        path: '/complaints/{id}/additions/confirmation',
        summary:
          'Confirm that a filing joined to this case as a repeat (field at: its time) was the complainant’s, by the tracking token',
      },
    ],
    table: 'write',
    tableWrites: ['complaint'],
    signsLinks: true,
  },
  {
    id: 'ReplaceTrackingLink',
    entry: 'http/replace-tracking-link',
    description: 'Replaces a complaint’s private tracking link and mails the new one to the complainant alone',
    routes: [
      {
        method: 'POST',
        path: '/complaints/{id}/tracking-link',
        summary:
          'Replace the private tracking link, by the tracking token: the old link stops working and the new one is mailed to the complainant (202)',
      },
    ],
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint'],
    signsLinks: true,
  },
  {
    id: 'TrackComplaint',
    entry: 'http/track-complaint',
    description: "Shows a complaint's status and history to the holder of its tracking link",
    routes: [
      {
        method: 'GET',
        path: '/complaints/{id}',
        summary: 'The complainant’s view of a case: status, history, evidence names (JSON, or the tracking page)',
      },
    ],
    table: 'read',
    signsLinks: true,
  },
  {
    id: 'TaskPage',
    entry: 'http/task-page',
    description: 'Shows a task link (GET) and records the decision posted on it (POST)',
    routes: [
      {
        method: 'GET',
        path: '/tasks/{linkId}',
        summary: 'An emailed task link: shows the task and its form, never decides (page)',
      },
      {
        method: 'POST',
        path: '/tasks/{linkId}',
        summary: 'Decide the task (form: nonce, decision and its fields); first writer wins',
      },
    ],
    table: 'write',
    tableWrites: ['complaint', 'taskLink', 'complainant'],
    evidence: 'download',
    workflow: ['signal'],
    // The complainant's "recorded" page links their tracking page.
    signsLinks: true,
    sendsEmail: true,
    publishesEvents: true,
  },
  {
    id: 'WithdrawComplaint',
    entry: 'http/withdraw-complaint',
    description: 'Lets the complainant withdraw: stops the workflow and closes the case as withdrawn',
    routes: [
      {
        method: 'POST',
        path: '/complaints/{id}/withdrawal',
        summary: 'Withdraw the complaint, by the tracking token',
        body: 'withdrawal',
      },
    ],
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    workflow: ['stop'],
    signsLinks: true,
    publishesEvents: true,
  },
  {
    id: 'CaseArchive',
    entry: 'http/case-archive',
    description:
      "Gives the complainant a copy of their data and their case's referral bundle (ZIP), by the tracking link",
    routes: [
      {
        method: 'GET',
        path: '/complaints/{id}/export',
        summary:
          'A copy of everything held about the complainant on this case (ZIP: case.json, case.html, history, evidence, manifest), by the tracking token',
      },
      {
        method: 'GET',
        path: '/complaints/{id}/referral-bundle',
        summary:
          'The case as a bundle to hand to a regulator or court (ZIP with a sha256 manifest; the complainant’s version), by the tracking token',
      },
    ],
    table: 'write',
    tableWrites: ['complaint'],
    evidence: 'download',
    archives: true,
    signsLinks: true,
  },
  {
    id: 'StaffReferralBundle',
    entry: 'http/staff-referral-bundle',
    description:
      'Gives staff who may see a case its referral bundle (ZIP with a sha256 manifest); each one is recorded',
    routes: [
      {
        method: 'GET',
        path: '/staff/complaints/{id}/referral-bundle',
        summary:
          'The whole case as a bundle to hand over (ZIP: manifest, case.html, case.json, history, evidence); recorded',
        staff: true,
      },
    ],
    table: 'write',
    tableWrites: ['complaint'],
    evidence: 'download',
    archives: true,
  },
  {
    id: 'RequestErasure',
    entry: 'http/request-erasure',
    description:
      'Takes a complainant’s confirmed request to erase their data on a case: withdraws an open case, sets the deadline, mails them',
    routes: [
      {
        method: 'POST',
        path: '/complaints/{id}/erasure-request',
        summary:
          'Ask for the personal data of this case to be erased (confirm=yes), by the tracking token: an open case is withdrawn first; 202 with the deadline',
      },
    ],
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    workflow: ['stop'],
    signsLinks: true,
  },
  {
    id: 'CorrectContact',
    entry: 'http/correct-contact',
    description:
      'Lets the complainant correct their name (at once) or contact address (used once confirmed from the new mailbox)',
    routes: [
      {
        method: 'POST',
        path: '/complaints/{id}/contact',
        summary:
          'Correct the name, or ask to use a new email address (a confirmation link goes to it), by the tracking token',
      },
    ],
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint'],
    signsLinks: true,
  },
  {
    id: 'ConfirmContact',
    entry: 'http/confirm-contact',
    description: 'Puts a complainant’s new email address in use once confirmed from its own mailbox',
    routes: [
      {
        method: 'GET',
        path: '/complaints/{id}/contact-confirmation',
        summary: 'The confirmation page of a new address (page; opening it changes nothing)',
      },
      {
        method: 'POST',
        path: '/complaints/{id}/contact-confirmation',
        summary: 'Confirm the new address (form: code); 410 when the link is not valid, used or expired',
      },
    ],
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint'],
  },
  {
    id: 'StaffLegalHold',
    entry: 'http/staff-legal-hold',
    description:
      'Places or releases a legal hold on a case (supervisor and up, with a reason): erasure and expiry wait for its release',
    routes: [
      {
        method: 'POST',
        path: '/staff/complaints/{id}/legal-hold',
        summary:
          'Place (action=place, reason) or release (action=release) a legal hold; the complainant is told (supervisor and up)',
        staff: true,
      },
    ],
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint'],
    signsLinks: true,
  },
  {
    id: 'PurgeDueErasures',
    entry: 'schedule/purge-due-erasures',
    description:
      'Erases the cases whose erasure is due (the byPurgeDue index, from its checkpoint): the purge a record’s expiry uses, then the record rewritten as erased',
    everyMinutes: 5,
    timeoutSeconds: 60,
    table: 'write',
    tableWrites: [
      'complaint',
      'number',
      'complainant',
      'taskLink',
      'sweepCheckpoint',
      'phone',
      'shortLink',
      'suppression',
    ],
    evidence: 'purge',
  },
  {
    id: 'RequestReview',
    entry: 'http/request-review',
    description: 'Takes the complainant’s one request for a review (复核) and starts it',
    routes: [
      {
        method: 'POST',
        path: '/complaints/{id}/review-request',
        summary: 'Ask once for a review (复核) within the window after the reply, by the tracking token',
        body: 'reviewRequest',
      },
    ],
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    workflow: ['start', 'signal'],
    signsLinks: true,
    sendsEmail: true,
    publishesEvents: true,
  },
  {
    id: 'StaffSignIn',
    entry: 'http/staff-sign-in',
    description:
      'The staff desk sign-in page; queues a single-use sign-in link for a staff address in the outbox (the same answer and the same work for any address)',
    routes: [
      { method: 'GET', path: '/staff', summary: 'The staff sign-in page' },
      {
        method: 'POST',
        path: '/staff/sign-in',
        summary: 'Ask for a sign-in link (form or JSON: email); the same answer for any address',
        body: 'staffSignIn',
      },
    ],
    table: 'write',
    tableWrites: ['staffSignInLink', 'staffSignInRate'],
  },
  {
    id: 'StaffSession',
    entry: 'http/staff-session',
    description:
      'Shows a staff sign-in link (GET) and opens the session on its button (POST); ends a session on sign-out',
    routes: [
      {
        method: 'GET',
        path: '/staff/sign-in/{linkId}',
        summary: 'An emailed sign-in link: shows a button, signs nobody in (page)',
      },
      {
        method: 'POST',
        path: '/staff/sign-in/{linkId}',
        summary: 'Sign in with the link (once, within 15 minutes): sets the session cookie',
      },
      { method: 'POST', path: '/staff/sign-out', summary: 'End the session', staff: true },
    ],
    table: 'write',
    tableWrites: ['staffSignInLink', 'staffSession'],
  },
  {
    id: 'StaffQueue',
    entry: 'http/staff-queue',
    description: "A staff member's queue of open tasks, soonest deadline first (a supervisor's team, a manager's all)",
    routes: [
      {
        method: 'GET',
        path: '/staff/queue',
        summary:
          'My open tasks (a supervisor’s team, a manager’s all), soonest deadline first; filters status, category, team, assignee, late=1, q',
        staff: true,
      },
    ],
    table: 'read',
  },
  {
    id: 'StaffCase',
    entry: 'http/staff-case',
    description: 'Shows staff a whole case (each view recorded) and decides its current task as the emailed link does',
    routes: [
      {
        method: 'GET',
        path: '/staff/complaints/{id}',
        summary: 'The whole case for staff: record, evidence, full history, current task (the view is recorded)',
        staff: true,
      },
      {
        method: 'POST',
        path: '/staff/complaints/{id}',
        summary: 'Decide the case’s current task (the task page’s fields, with the page nonce)',
        staff: true,
      },
    ],
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    evidence: 'download',
    workflow: ['signal'],
    sendsEmail: true,
    signsLinks: true,
    publishesEvents: true,
  },
  {
    id: 'StaffCaseAction',
    entry: 'http/staff-case-actions',
    description:
      "Reassigns a case's current task within its team (supervisor and up, with a reason) and adds internal notes",
    routes: [
      {
        method: 'POST',
        path: '/staff/complaints/{id}/reassignment',
        summary: 'Give the current task to another member of the team, with a reason (supervisor and up)',
        staff: true,
      },
      {
        method: 'POST',
        path: '/staff/complaints/{id}/notes',
        summary: 'Add an internal note, never shown to the complainant or respondent',
        staff: true,
      },
    ],
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    signsLinks: true,
  },
  {
    id: 'StaffCases',
    entry: 'http/staff-cases',
    description:
      'Every case in a staff member’s scope, in any status, as a table: filtered, sorted, searched, paged (and as CSV)',
    routes: [
      {
        method: 'GET',
        path: '/staff/cases',
        summary:
          'Cases in my scope (page or JSON): filters status, category, team, holder, channel, priority, late=1, breached=1, due=<hours>, q; sort due|priority|received|updated, dir; cursor',
        staff: true,
      },
      { method: 'GET', path: '/staff/cases.csv', summary: 'The same view as CSV (one page)', staff: true },
    ],
    table: 'read',
    // A search reads its page of matches by key.
    tableBulk: ['batchGet'],
  },
  {
    id: 'StaffViews',
    entry: 'http/staff-views',
    description: 'Saved case views, personal or shared with a team, listed with their counts',
    routes: [
      { method: 'GET', path: '/staff/views', summary: 'My views (defaults, mine, my teams’) with counts', staff: true },
      {
        method: 'POST',
        path: '/staff/views',
        summary: 'Save a view: name, scope personal or team:<team>, query (with the page nonce)',
        staff: true,
      },
    ],
    table: 'write',
    tableWrites: ['savedView'],
    // A view's count reads a search's matches by key.
    tableBulk: ['batchGet'],
  },
  {
    id: 'StaffBulkAction',
    entry: 'http/staff-bulk',
    description:
      'Carries out one action (reassign, note, canned reply) on each case picked in a view, each through its one-case use case',
    routes: [
      {
        method: 'POST',
        path: '/staff/cases/bulk',
        summary:
          'Reassign, note or send a canned reply on each picked case (action, ids, to, text, reply, nonce); answers each row’s outcome',
        staff: true,
      },
    ],
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    tableBulk: ['batchGet'],
    signsLinks: true,
  },
  {
    id: 'StaffBoard',
    entry: 'http/staff-board',
    description: 'The at-risk board: per team, breached, late, due within 4 h and waiting cases, refreshing itself',
    routes: [{ method: 'GET', path: '/staff/board', summary: 'The at-risk board (page or JSON)', staff: true }],
    table: 'read',
    // The oldest breached cases' rows, by key.
    tableBulk: ['batchGet'],
  },
  {
    id: 'StaffComplaint',
    entry: 'http/staff-complaint',
    description:
      'Takes a complaint staff enter for a complainant (hotline, social, app) through the same intake as the public route, with the caller’s files they attach',
    routes: [
      {
        method: 'GET',
        path: '/staff/complaints',
        summary: 'The form for a complaint entered on a complainant’s behalf (page)',
        staff: true,
      },
      {
        method: 'POST',
        path: '/staff/complaints',
        summary: 'Enter a complaint on a complainant’s behalf (channels hotline, social, app)',
        body: 'staffComplaint',
        staff: true,
      },
    ],
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint', 'number', 'complainant', 'idempotency', 'filingRate', 'heldFiling', 'phone'],
    // The caller's files staff attach at entry: the evidence upload's presigned POST.
    evidence: 'upload',
    workflow: ['start'],
    signsLinks: true,
    publishesEvents: true,
  },
  {
    id: 'AcknowledgeReceipt',
    entry: 'workflow/acknowledge-receipt',
    description: 'First workflow step: emails the complainant the number and tracking link',
    workflowArnPlaceholder: 'AcknowledgeReceiptFunctionArn',
    sendsEmail: true,
    table: 'write',
    // Its record, the hour's count of acknowledgements to addresses not yet shown real, and the
    // parts of its number a staff search finds it by.
    tableWrites: ['complaint', 'acknowledgementRate', 'number'],
    signsLinks: true,
    publishesEvents: true,
  },
  {
    id: 'OpenTask',
    entry: 'workflow/open-task',
    description: 'Opens a human task: stores a task link for its token and emails it to the assignee',
    workflowArnPlaceholder: 'OpenTaskFunctionArn',
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    workflow: ['signal'],
    signsLinks: true,
    publishesEvents: true,
  },
  {
    id: 'BeginStep',
    entry: 'workflow/begin-step',
    description:
      'Reopens the task of the step the case records (after opening it failed, or when the case moved on unheard): returns the seconds left',
    workflowArnPlaceholder: 'BeginStepFunctionArn',
    table: 'write',
    tableWrites: ['complaint'],
  },
  {
    id: 'DeadlinePassed',
    entry: 'workflow/deadline-passed',
    description:
      'A task ran out of time: a staff step escalates one person up (or to the last resort, telling the complainant once that the case is late); a complainant or respondent step lapses, closing or moving on',
    workflowArnPlaceholder: 'DeadlinePassedFunctionArn',
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint'],
    signsLinks: true,
    publishesEvents: true,
  },
  {
    id: 'StartPendingWorkflows',
    entry: 'workflow/start-pending-workflows',
    description: 'Starts the workflow of any stored complaint whose start was lost',
    everyMinutes: 1,
    // Each run starts workflows for most of its minute, at the desk's rate (desk.scale).
    timeoutSeconds: 60,
    table: 'write',
    tableWrites: ['complaint'],
    workflow: ['start'],
  },
  {
    id: 'SweepStalledCases',
    entry: 'schedule/sweep-stalled-cases',
    description:
      'Finds the open cases whose time to move has passed (the bySweepDue index) and starts each whose execution no longer runs again at the step it records; an execution that ends with its case open makes the case due',
    // Each run reads only what is due, from where the last stopped: often enough that a backlog drains within its time limit.
    everyMinutes: 1,
    onExecutionEnded: true,
    table: 'write',
    // Due times on case records, and its checkpoint.
    tableWrites: ['complaint', 'sweepCheckpoint'],
    // The due cases' records, a page at a time.
    tableBulk: ['batchGet'],
    // Describe each due case's execution; start a stopped one again, or tell it an unheard decision.
    workflow: ['describe', 'start', 'signal'],
    publishesEvents: true,
  },
  {
    id: 'DeliverQueuedMail',
    entry: 'schedule/deliver-queued-mail',
    description:
      'The outbox: sends again every email recorded with a change of a case that is not yet sent (SES throttled or down, or a crash before the first try)',
    everyMinutes: 1,
    // Each run sends for most of its minute, at the account's SES rate.
    timeoutSeconds: 60,
    table: 'write',
    // The case's outbox items (sent: deleted), and the case's record when an email is given up;
    // a staff sign-in mail waits beside its link.
    tableWrites: ['complaint', 'staffSignInLink', 'phone', 'shortLink'],
    sendsEmail: true,
    // The only function that texts: a text is due for it as soon as it is written. It counts each
    // number's texts (`PHONE#`) and writes each text's short links (`SHORT#`).
    sendsTexts: true,
  },
  {
    id: 'ReceiveText',
    entry: 'sms/receive-text',
    description:
      'Records an opt-out (T, TD, STOP, 退订) texted to the desk’s number, so no more texts go to that number',
    onInboundText: true,
    table: 'write',
    tableWrites: ['phone'],
  },
  {
    id: 'FollowShortLink',
    entry: 'http/short-link',
    description: 'Sends the short link in a text on to the tracking or task link it stands for',
    routes: [{ method: 'GET', path: '/s/{code}', summary: 'A short link from a text: redirects to its link (302)' }],
    table: 'read',
  },
  {
    id: 'DeliverQueuedEvents',
    entry: 'schedule/deliver-queued-events',
    description:
      'The event outbox: publishes again every platform event recorded with a change of a case and not yet on the bus (the bus refused or was down, or a crash before the first try)',
    everyMinutes: 1,
    timeoutSeconds: 60,
    table: 'write',
    // The case's event outbox items (published: deleted; failed: their next try).
    tableWrites: ['complaint'],
    publishesEvents: true,
  },
  {
    id: 'SendWebhook',
    entry: 'events/send-webhook',
    description:
      'Delivers a platform event to a configured webhook, signed with HMAC-SHA256 under its active secrets; a failed try is retried by the queue, then dead-lettered',
    onWebhookDelivery: true,
    webhookSecrets: true,
    timeoutSeconds: 30,
    table: 'write',
    // Its delivery log: one item per try.
    tableWrites: ['webhookLog'],
  },
  {
    id: 'IntegrationActions',
    entry: 'http/integration-actions',
    description:
      'The platform reports an action carried out on a case (signed with the inbound secret); it is recorded in the case history',
    routes: [
      {
        method: 'POST',
        path: '/integrations/actions',
        summary:
          'Record that the platform carried out an action on a case (lock-subject, remove-content, warn-user, restore-account, protect-privacy); signed: headers redress-timestamp and redress-signature (HMAC-SHA256 of "<timestamp>.<body>", docs/webhooks.md)',
        body: 'integrationAction',
      },
    ],
    table: 'write',
    tableWrites: ['complaint'],
    webhookSecrets: true,
  },
  {
    id: 'RecordMailEvent',
    entry: 'mail/record-mail-event',
    description:
      'Records addresses SES reports as hard-bounced or complained, so Redress stops mailing them, and what texts’ delivery events say (a text not delivered shows on its case)',
    onMailEvent: true,
    onTextEvent: true,
    table: 'write',
    // Suppressed addresses; a text's item and, when it failed for good, the case's history.
    tableWrites: ['suppression', 'complaint'],
  },
  {
    id: 'ReceiveMail',
    entry: 'mail/receive-mail',
    description:
      'Email in: files a complaint from a mail to the inbound address, or lands a reply on its case (and answers a request for information)',
    onInboundMail: true,
    table: 'write',
    tableWrites: [
      'inboundMail',
      'senderRate',
      'complaint',
      'number',
      'complainant',
      'idempotency',
      'filingRate',
      'heldFiling',
      'taskLink',
    ],
    sendsEmail: true,
    signsLinks: true,
    // Files complaints (start) and answers a request for information (signal).
    workflow: ['start', 'signal'],
    // Writes attachments where uploads land (complaints/); reading inbound/ is granted with the receipt rule.
    evidence: 'upload',
    publishesEvents: true,
  },
  // ---- The desk's figures and the weekly report
  {
    id: 'StaffAnalytics',
    entry: 'http/staff-analytics',
    description:
      "The desk's figures over a range (page, JSON, CSV) for supervisors and up; an operator sends the weekly report now; the webhook delivery log",
    routes: [
      {
        method: 'GET',
        path: '/staff/analytics',
        summary:
          'Figures over a range (from, to, groupBy): received, service levels, outcomes, satisfaction, hotspots, handlers (page or JSON; a supervisor’s teams, a manager’s all)',
        staff: true,
      },
      { method: 'GET', path: '/staff/analytics.csv', summary: 'The same figures as CSV (UTF-8 with BOM)', staff: true },
      {
        method: 'POST',
        path: '/staff/analytics/weekly-report',
        summary: 'Send the weekly report now (operators; a manager for their own teams)',
        staff: true,
      },
      {
        method: 'GET',
        path: '/staff/webhooks',
        summary:
          'Every webhook delivery try from an hour back (hour=2026-12-07T13, UTC; the current one by default): endpoint, event, case, try, outcome, status (page or JSON; managers and operators)',
        staff: true,
      },
    ],
    sendsEmail: true,
    table: 'write',
    // "Send now" writes a run of reports (REPORT#…) and sends what it can at once.
    tableWrites: ['analytics', 'report'],
    // Subject labels for the hotspots.
    tableBulk: ['batchGet'],
    // Each report carries its recipient's unsubscribe link (List-Unsubscribe), signed.
    signsLinks: true,
  },
  {
    id: 'ReportUnsubscribe',
    entry: 'http/report-unsubscribe',
    description:
      "The weekly report's List-Unsubscribe link: a page with a button, and the one-click POST that stops the report",
    routes: [
      {
        method: 'GET',
        path: '/reports/unsubscribe/{token}',
        summary: 'What the weekly report’s unsubscribe link does, and its button; changes nothing (page)',
      },
      {
        method: 'POST',
        path: '/reports/unsubscribe/{token}',
        summary: 'Stop the weekly report to the link’s address (one-click, RFC 8058, or the page’s button)',
      },
    ],
    table: 'write',
    // The opt-out beside the address's bounce suppression (SUPPRESSED#…/REPORTS).
    tableWrites: ['suppression'],
    signsLinks: true,
  },
  {
    id: 'AggregateAnalytics',
    entry: 'stream/aggregate-analytics',
    description:
      'Stores each stream batch of history events as figures, once (stream); rolls them up into the desk\'s figures (every minute); with {"rebuild":true} recomputes them all from the history',
    onTableChange: true,
    everyMinutes: 1,
    table: 'write',
    tableWrites: [
      'analytics',
      'analyticsApplied',
      'analyticsDay',
      'analyticsSubject',
      'analyticsRunning',
      'analyticsBatch',
    ],
    // Batch reads of stored batches and their markers; the roll-up marks and deletes them in
    // batches; the rebuild scans every complaint record and rewrites every figure.
    tableBulk: ['batchGet', 'batchWrite', 'scan'],
  },
  {
    id: 'SendWeeklyReport',
    entry: 'reports/send-weekly-report',
    description:
      "Writes last week's report for each manager and supervisor (one claim per recipient) and starts sending them: figures, late open cases and hotspots of their teams",
    onWeeklyReport: true,
    sendsEmail: true,
    table: 'write',
    // Each recipient's report of a run (REPORT#…): claimed, sent, marked.
    tableWrites: ['report'],
    tableBulk: ['batchGet'],
    // Each report carries its recipient's unsubscribe link (List-Unsubscribe), signed.
    signsLinks: true,
  },
  {
    id: 'DeliverWeeklyReports',
    entry: 'reports/deliver-weekly-reports',
    description:
      'Sends the weekly reports still due, each on its own: the rest of a large run, and a retry of any that failed',
    everyMinutes: 1,
    sendsEmail: true,
    table: 'write',
    tableWrites: ['report'],
    // Subject labels for the hotspots.
    tableBulk: ['batchGet'],
    // Each report carries its recipient's unsubscribe link (List-Unsubscribe), signed.
    signsLinks: true,
  },
  {
    id: 'StaffMessage',
    entry: 'http/staff-messages',
    description:
      'Sends a message to the complainant or the respondent at any step; one that awaits an answer pauses the step’s clock',
    routes: [
      {
        method: 'POST',
        path: '/staff/complaints/{id}/messages',
        summary:
          'Write to the complainant or respondent (`to`, `text`, optional `attachments`, `awaitAnswer` with `answerBy` or `answerWithinDays`)',
        staff: true,
      },
      {
        method: 'POST',
        path: '/staff/complaints/{id}/attachments',
        summary:
          'Upload a file to send with a message (`fileName`, `contentType`, `size`): the same presigned upload and checks as evidence',
        staff: true,
      },
    ],
    evidence: 'upload',
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    workflow: ['signal'],
    signsLinks: true,
  },
  {
    id: 'StaffCannedReplies',
    entry: 'http/staff-canned-replies',
    description: 'Canned replies: supervisors keep their teams’, managers and operators the desk’s',
    routes: [
      {
        method: 'GET',
        path: '/staff/canned-replies',
        summary: 'The canned replies a member reads, seeded from the desk config (page or JSON)',
        staff: true,
      },
      {
        method: 'POST',
        path: '/staff/canned-replies',
        summary:
          'Save a canned reply (`scope`, `title`, `textZh`, `textEn`; placeholders {number} {name} {deadline} {category} {holder}), or remove one (`delete`, `scope`, `id`)',
        staff: true,
      },
    ],
    table: 'write',
    tableWrites: ['cannedReply'],
  },
  {
    id: 'StaffMerge',
    entry: 'http/staff-merge',
    description:
      'Merges a case into another open case of the same complainant (supervisor and up): it closes as merged and its workflow stops',
    routes: [
      {
        method: 'POST',
        path: '/staff/complaints/{id}/merge',
        summary:
          'Merge this case into another open case of the same complainant (`into`: its number; supervisor and up)',
        staff: true,
      },
    ],
    sendsEmail: true,
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    workflow: ['stop'],
    signsLinks: true,
  },
  {
    id: 'MessageFile',
    entry: 'http/message-files',
    description: 'Hands the recipient of a message a short-lived download link to a file sent with it',
    routes: [
      {
        method: 'GET',
        path: '/complaints/{id}/files/{fileId}',
        summary: 'A file the desk sent the complainant, by the tracking token (redirect to a short-lived link)',
      },
      {
        method: 'GET',
        path: '/respond/{id}/files/{fileId}',
        summary: 'A file the desk sent the respondent, by the respondent’s token (redirect to a short-lived link)',
      },
    ],
    table: 'read',
    evidence: 'download',
    signsLinks: true,
  },
  {
    id: 'ComplainantMessage',
    entry: 'http/complainant-messages',
    description:
      'Takes a complainant’s message from the tracking page; it answers the desk’s message the case waits on',
    routes: [
      {
        method: 'POST',
        path: '/complaints/{id}/messages',
        summary: 'Write to the desk (`text`), by the tracking token; answers a message that awaits the complainant',
      },
    ],
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    workflow: ['signal'],
    sendsEmail: true,
    signsLinks: true,
  },
  {
    id: 'RespondentMessages',
    entry: 'http/respondent-messages',
    description: 'The respondent’s link: the desk’s messages to them, and their answers',
    routes: [
      {
        method: 'GET',
        path: '/respond/{id}',
        summary: 'The desk’s messages to the respondent and their answers (page or JSON), by the respondent’s token',
      },
      {
        method: 'POST',
        path: '/respond/{id}',
        summary:
          'Answer the desk (`text`, optional `attachments`), by the respondent’s token; answers a message that awaits the respondent',
      },
      {
        method: 'POST',
        path: '/respond/{id}/attachments',
        summary:
          'Upload a file to attach to an answer (`fileName`, `contentType`, `size`), by the respondent’s token: the same presigned upload and checks as evidence',
        body: 'evidenceUpload',
      },
    ],
    evidence: 'upload',
    table: 'write',
    tableWrites: ['complaint', 'taskLink'],
    workflow: ['signal'],
    sendsEmail: true,
    signsLinks: true,
  },
];

export const WORKFLOW_DEFINITION_FILE = 'workflows/complaint-handling.asl.json';
