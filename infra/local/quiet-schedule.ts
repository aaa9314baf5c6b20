import { PrerequisiteError } from './prerequisites';

/**
 * Which scheduled functions a local tick runs. A scheduled function reads its due index for what
 * is due by now. If nothing it reads has changed and the clock has not moved since its last run
 * began, that run already read everything but what falls due with time alone (a retry's wait, a
 * grace period). Such a function is then run on every `quietEvery`-th of its ticks only; a change
 * of what it reads, or a clock move, makes it run on its next tick again. `quietEvery` 1 runs
 * every function on every one of its ticks.
 */
export class QuietSchedule {
  private everything = 0;
  private readonly changes = new Map<string, number>();
  private readonly seen = new Map<string, { changes: number; quietTicks: number }>();

  constructor(private readonly quietEvery: number) {
    if (!Number.isInteger(quietEvery) || quietEvery < 1)
      throw new PrerequisiteError(
        `REDRESS_RECONCILE_QUIET_EVERY=${process.env.REDRESS_RECONCILE_QUIET_EVERY || quietEvery} is not a whole number of ticks, 1 or more`,
        'unset it or give one, e.g. REDRESS_RECONCILE_QUIET_EVERY=1',
      );
  }

  /** What these functions read changed (all of them: the clock moved). */
  changed(ids?: readonly string[]): void {
    if (!ids) this.everything++;
    else for (const id of ids) this.changes.set(id, (this.changes.get(id) ?? 0) + 1);
  }

  /** Whether `id`, due on this tick, runs; when it does, what it reads from now on counts as seen. */
  runs(id: string): boolean {
    const changes = this.everything + (this.changes.get(id) ?? 0);
    const last = this.seen.get(id);
    if (last && last.changes === changes && ++last.quietTicks < this.quietEvery) return false;
    this.seen.set(id, { changes, quietTicks: 0 });
    return true;
  }
}
