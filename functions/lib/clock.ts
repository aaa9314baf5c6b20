/**
 * The time every deadline, window and record is judged by. In Lambda it is the system clock and
 * nothing moves it. The local stack can move it forward (`moveClockForward`), together with the
 * local Step Functions timers, so a test makes a deadline pass instead of waiting for it.
 */
let offsetMs = 0;

export function currentTime(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Local stack only: moves this process's clock forward by `ms` real milliseconds. */
export function moveClockForward(ms: number): Date {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`the clock only moves forward by a finite number of milliseconds, got ${ms}`);
  offsetMs += ms;
  return currentTime();
}
