/**
 * Deadlines are absolute instants on the record; every wait computes what remains of them, so a
 * re-driven or late-started step keeps the original deadline.
 *
 * `clockScale` is service-level seconds per real second (REDRESS_CLOCK_SCALE): 3600 makes a 24 h
 * deadline fall 24 real seconds after its start. It shrinks deadlines only; the times recorded
 * on a complaint are always real.
 */
export function deadlineAfter(start: Date, serviceLevelSeconds: number, clockScale = 1): Date {
  if (!(clockScale > 0)) throw new RangeError(`clock scale must be positive, got ${clockScale}`);
  return new Date(start.getTime() + (serviceLevelSeconds * 1000) / clockScale);
}

// Step Functions needs a whole number of seconds of at least 1; a deadline already passed still
// gets one second, so the timeout path, not a validation error, handles it.
export function secondsUntil(deadline: Date, now: Date): number {
  return Math.max(1, Math.ceil((deadline.getTime() - now.getTime()) / 1000));
}
