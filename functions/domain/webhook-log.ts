/**
 * The delivery log is read an hour at a time (its items are partitioned by clock hour, UTC): a
 * page starts at an hour (`2026-12-07T13`, the current one by default) and goes back an hour at a
 * time until it holds a page of tries or has looked back LOOK_BACK_HOURS.
 */
export const LOG_PAGE_SIZE = 100;
export const LOOK_BACK_HOURS = 12;

const HOUR = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/;

/** Whether `text` names a clock hour as the log does (and a real one). */
export function isLogHour(text: string): boolean {
  const parts = HOUR.exec(text);
  if (!parts) return false;
  const at = new Date(`${text}:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 13) === text;
}

/** The clock hour before `hour`. */
export function hourBefore(hour: string): string {
  return new Date(new Date(`${hour}:00:00Z`).getTime() - 3600_000).toISOString().slice(0, 13);
}
