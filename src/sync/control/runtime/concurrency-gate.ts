/**
 * The replica-wide limit on passes running at once. Waiters are served in
 * arrival order; a cluster worker asks for one slot at a time, so busy
 * clusters take turns instead of one of them draining the whole budget.
 */
export class ConcurrencyGate {
  private inUse = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Resolves with a release function once a slot is free. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.inUse++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.inUse--;
          this.waiters.shift()?.();
        });
      };
      if (this.inUse < this.limit) grant();
      else this.waiters.push(grant);
    });
  }

  /** Slots taken now. */
  get active(): number {
    return this.inUse;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }
}
