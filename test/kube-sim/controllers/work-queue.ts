/**
 * Deferred controller work of one virtual cluster, keyed so that a burst of
 * changes to one object runs its reconcile once. `soon` runs on the
 * microtask queue: after the request that caused it has been answered and
 * before the next request is read, so "immediately" is deterministic for
 * tests. `later` runs after a delay (the simulated time to readiness).
 */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Runs `task` once the current synchronous work is done (deduplicated by key). */
  soon(key: string, task: () => void): void {
    if (this.stopped || this.pending.has(key)) return;
    this.pending.add(key);
    queueMicrotask(() => {
      this.pending.delete(key);
      if (!this.stopped) this.run(task);
    });
  }

  /** Runs `task` after `delayMs`, replacing a pending run of the same key. */
  later(key: string, delayMs: number, task: () => void): void {
    if (this.stopped) return;
    this.cancel(key);
    if (delayMs <= 0) {
      this.soon(key, task);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (!this.stopped) this.run(task);
    }, delayMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  /** Drops every pending timer; nothing runs afterwards. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private run(task: () => void): void {
    try {
      task();
    } catch (error) {
      this.onError(error);
    }
  }
}
