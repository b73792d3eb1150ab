/**
 * Decides when a repository is fetched: at most once per interval however
 * many callers ask, one shared fetch for concurrent callers (single-flight),
 * and a fresh fetch after an invalidation (a webhook) even while an older
 * fetch is still running. Knows nothing about git: it schedules the
 * `fetch` function it is given, one at a time per key.
 */

/** Settings of a FetchScheduler. */
export interface FetchSchedulerOptions {
  /** Minimum time between two fetches of one repository, in milliseconds. */
  readonly intervalMs: number;
  /** Clock in milliseconds; injectable for tests. */
  readonly now?: () => number;
}

interface RunningFetch {
  /** Order in which fetches started and invalidations happened. */
  readonly sequence: number;
  readonly promise: Promise<void>;
}

interface KeyState {
  /** Start time of the newest successful fetch: the data is at least that new. */
  lastSuccessAt?: number;
  lastSuccessSequence: number;
  invalidatedSequence: number;
  running?: RunningFetch;
  /** The fetch that follows `running`, shared by everyone who needs newer data than it gives. */
  queued?: Promise<void>;
}

export class FetchScheduler {
  private readonly states = new Map<string, KeyState>();
  private sequence = 0;
  private readonly now: () => number;

  constructor(private readonly options: FetchSchedulerOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Resolves once a fetch that is fresh enough has succeeded: one that
   * started after the last invalidation and less than the interval ago.
   * Joins a running fetch when that one qualifies; otherwise starts one, or
   * queues exactly one behind a running fetch that started before an
   * invalidation. `stale: true` ignores a recent success (the mirror is gone)
   * but still joins a running fetch. Rejects with the fetch's error; a
   * failure is never remembered as a success.
   */
  ensureFresh(key: string, fetch: () => Promise<void>, stale = false): Promise<void> {
    const state = this.state(key);
    if (!stale && this.isFresh(state)) return Promise.resolve();
    if (state.running && state.running.sequence > state.invalidatedSequence) {
      return state.running.promise;
    }
    if (state.queued) return state.queued;
    if (state.running) {
      state.queued ??= state.running.promise
        .catch(() => undefined)
        .then(() => {
          state.queued = undefined;
          return this.start(state, fetch);
        });
      return state.queued;
    }
    return this.start(state, fetch);
  }

  /** Makes the next `ensureFresh` for `key` fetch, even within the interval. */
  invalidate(key: string): void {
    this.state(key).invalidatedSequence = ++this.sequence;
  }

  private isFresh(state: KeyState): boolean {
    return (
      state.lastSuccessAt !== undefined &&
      state.lastSuccessSequence > state.invalidatedSequence &&
      this.now() - state.lastSuccessAt < this.options.intervalMs
    );
  }

  private start(state: KeyState, fetch: () => Promise<void>): Promise<void> {
    const sequence = ++this.sequence;
    const startedAt = this.now();
    const promise = Promise.resolve()
      .then(fetch)
      .then(() => {
        if (sequence > state.lastSuccessSequence) {
          state.lastSuccessSequence = sequence;
          state.lastSuccessAt = startedAt;
        }
      })
      .finally(() => {
        if (state.running?.sequence === sequence) state.running = undefined;
      });
    state.running = { sequence, promise };
    return promise;
  }

  private state(key: string): KeyState {
    let state = this.states.get(key);
    if (!state) {
      state = { lastSuccessSequence: 0, invalidatedSequence: 0 };
      this.states.set(key, state);
    }
    return state;
  }
}
