/**
 * A counting semaphore whose waiters can give up: a request waiting for a
 * slot of a slow cluster stops waiting when its deadline passes, so a
 * hanging cluster never holds callers longer than their own deadline.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: { grant: () => void; reject: (error: unknown) => void }[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`semaphore capacity must be a positive integer, got ${capacity}`);
    }
  }

  /** Slots in use. */
  get inUse(): number {
    return this.active;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** The function that frees a slot taken at once, or undefined when none is free. */
  tryAcquire(): (() => void) | undefined {
    if (this.active >= this.capacity || this.waiters.length > 0) return undefined;
    this.active++;
    return this.releaser();
  }

  /**
   * Waits for a slot; returns the function that frees it (call it exactly
   * once). Rejects with the signal's reason when `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.capacity) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
        reject,
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so `active` is unchanged.
      if (next) next.grant();
      else this.active--;
    };
  }
}
