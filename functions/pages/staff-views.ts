import type { ComplaintRecord } from '../domain/complaint';
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
}
