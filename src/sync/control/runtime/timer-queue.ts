/**
 * One timer for every Application of the process: a min-heap of
 * (due time, key), so 10,000 Applications cost 10,000 heap entries and a
 * single `setTimeout`, never 10,000 timers. `schedule` keeps the earliest
 * due time of a key; `cancel` forgets a key. Stale heap entries are skipped
 * lazily and the heap is rebuilt when they dominate.
 */

interface Entry {
  readonly dueMs: number;
  readonly key: string;
}

export class TimerQueue {
  private heap: Entry[] = [];
  private readonly due = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Infinity;
  private stopped = false;

  constructor(
    private readonly onDue: (key: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Fires `key` at `dueMs`, unless it is already due earlier. */
  schedule(key: string, dueMs: number): void {
    const current = this.due.get(key);
    if (current !== undefined && current <= dueMs) return;
    this.due.set(key, dueMs);
    this.push({ dueMs, key });
    if (this.heap.length > 64 && this.heap.length > 4 * this.due.size) this.rebuild();
    this.arm();
  }

  /** Fires `key` at `dueMs`, replacing any earlier or later time. */
  reschedule(key: string, dueMs: number): void {
    this.due.delete(key);
    this.schedule(key, dueMs);
  }

  cancel(key: string): void {
    this.due.delete(key);
  }

  /** When `key` is due, if scheduled. */
  dueAt(key: string): number | undefined {
    return this.due.get(key);
  }

  get size(): number {
    return this.due.size;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Fires everything due now (also called by the timer). */
  fireDue(): void {
    const now = this.now();
    while (this.heap.length > 0 && this.heap[0].dueMs <= now) {
      const entry = this.pop()!;
      if (this.due.get(entry.key) !== entry.dueMs) continue; // stale
      this.due.delete(entry.key);
      this.onDue(entry.key);
    }
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    while (this.heap.length > 0 && this.due.get(this.heap[0].key) !== this.heap[0].dueMs) {
      this.pop();
    }
    const next = this.heap[0]?.dueMs ?? Infinity;
    if (next === this.timerAtMs) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAtMs = next;
    if (next === Infinity) return;
    // setTimeout fires early for delays above 2^31-1 ms; re-arming covers that.
    const delay = Math.min(Math.max(0, next - this.now()), 2_147_000_000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAtMs = Infinity;
      this.fireDue();
    }, delay);
    this.timer.unref();
  }

  private rebuild(): void {
    this.heap = [...this.due.entries()].map(([key, dueMs]) => ({ key, dueMs }));
    this.heap.sort((a, b) => a.dueMs - b.dueMs);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].dueMs <= heap[i].dueMs) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && heap[left].dueMs < heap[smallest].dueMs) smallest = left;
        if (right < heap.length && heap[right].dueMs < heap[smallest].dueMs) smallest = right;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
        i = smallest;
      }
    }
    return top;
  }
}
