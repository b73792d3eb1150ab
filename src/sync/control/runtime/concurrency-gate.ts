/**
 * The replica-wide limit on passes working at once. Waiters are served in
 * arrival order; a cluster worker asks for one slot at a time, so busy
 * clusters take turns instead of one of them draining the whole budget.
 *
 * A pass that only waits (for a rollout) may lend its slot for the wait: up
 * to `lendLimit` slots (half the limit unless set) are out on loan at once,
 * so passes in memory stay bounded (`limit + lendLimit`; each costs the heap
 * about 24 KiB, measured). A borrower takes its slot back ahead of every new
 * pass, so started passes finish before more begin.
 */
export class ConcurrencyGate {
  private inUse = 0;
  private lent = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly lendLimit = Math.ceil(limit / 2),
  ) {}

  /** Resolves with a release function once a slot is free. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.inUse++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.free();
        });
      };
      if (this.inUse < this.limit) grant();
      else this.waiters.push(grant);
    });
  }

  /**
   * Hands a held slot to the next waiter until the returned function takes it
   * back (resolving once it has, ahead of any `acquire`). Undefined when the
   * loan limit is reached: the caller keeps its slot while it waits.
   */
  lend(): (() => Promise<void>) | undefined {
    if (this.lent >= this.lendLimit) return undefined;
    this.lent++;
    this.free();
    let returned = false;
    return () => {
      if (returned) return Promise.resolve();
      returned = true;
      return new Promise<void>((resolve) => {
        // Still counted as lent until taken back, so the bound holds for passes queued to resume.
        const grant = () => {
          this.lent--;
          this.inUse++;
          resolve();
        };
        if (this.inUse < this.limit) grant();
        else this.waiters.unshift(grant);
      });
    };
  }

  private free(): void {
    this.inUse--;
    this.waiters.shift()?.();
  }

  /** Slots taken now. */
  get active(): number {
    return this.inUse;
  }

  /** Slots on loan now (their passes wait, or wait to take them back). */
  get lentOut(): number {
    return this.lent;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }
}
