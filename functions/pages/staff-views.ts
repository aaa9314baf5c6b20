import type { ComplaintStatus } from '../domain/lifecycle';
import type { ComplaintRecord } from '../domain/complaint';
import type { DeclaredFile } from '../domain/evidence-policy';
import type { ComplaintEvent } from '../domain/history';
import type { DeadlineState } from '../domain/staff';
import type { TaskLinkRecord } from '../store/task-links';
import type { LinkedEvidence } from './evidence-list';

/*
 * What the staff desk's pages show, as the use cases hand it over (staff-queue.ts, staff-case.ts
 * in app/): the pages render these shapes and the use cases fill them.
 */

/** One line of a staff queue. */
export interface QueueItem {
  id: string;
  number: string;
  category: string;
  team?: string;
  priority?: number;
  status: ComplaintRecord['status'];
  step?: ComplaintRecord['currentStep'];
  level?: number;
  assignee?: string;
  deadlineAt?: string;
  deadlineState: DeadlineState;
  flagged: boolean;
}

export interface QueuePage {
  items: QueueItem[];
  /** Open cases escalated away from the reader, which they keep in sight (first page only). */
  escalatedFromMe?: QueueItem[];
  /** Pass as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}

/** A case as the desk shows it: the record, its evidence and full history, and its current task. */
export interface StaffCaseView {
  complaint: ComplaintRecord;
  events: ComplaintEvent[];
  evidence: LinkedEvidence[];
  /** The current task's link while it takes a decision. */
  task?: TaskLinkRecord;
  /** Whether the reader may decide the current task here (they hold it, or are above its holder). */
  mayAct: boolean;
  /** Team members the task may be reassigned to, when the reader may reassign it. */
  reassignTo: string[];
  /** Cases merged into this one: their histories (their evidence is in `evidence`), shown in the thread. */
  merged?: { id: string; number: string; events: ComplaintEvent[] }[];
  /** The complainant's other cases (byComplainant) and other open cases on the same matter (bySubject). */
  related?: {
    complainant: { id: string; number: string; status: ComplaintStatus; receivedAt: string; category?: string }[];
    subject: { id: string; number: string; status: ComplaintStatus; receivedAt: string }[];
  };
  /** Whether the reader may merge this case into another (supervisor and up). */
  mayMerge?: boolean;
  /** The caller's files declared at entry, and what became of each (evidence-policy.ts declaredFiles). */
  declared?: DeclaredFile[];
  /** Canned replies the message form offers (canned-replies), filled for this case. */
  cannedReplies?: { id: string; title: string }[];
}
