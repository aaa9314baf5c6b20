import { currentTime, moveClockForward } from '../../functions/lib/clock';

/**
 * The local stack's clock: the handlers' time and the local Step Functions timers move together,
 * so moving it forward makes every deadline it passes fire, in order, at once.
 */
export class LocalClock {
  private readonly listeners = new Set<() => void>();

  /** `scale` is REDRESS_CLOCK_SCALE: service-level seconds per real second. */
  constructor(readonly scale: number) {}

  nowMs(): number {
    return currentTime().getTime();
  }

  /** Moves the clock forward by `serviceSeconds` of the desk's time (scaled like every deadline). */
  forward(serviceSeconds: number): Date {
    const at = moveClockForward((serviceSeconds * 1000) / this.scale);
    for (const listener of this.listeners) listener();
    return at;
  }

  onMove(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
