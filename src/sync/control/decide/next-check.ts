/**
 * When a cluster worker looks at an Application again without being asked
 * (pure function). Events (a commit, a spec change, drift seen by the watch,
 * a request) wake it sooner; this is the schedule that holds when nothing
 * happens:
 * - the periodic comparison, at most `compareIntervalMs` after this pass
 *   (drift detection even when a watch is lost), spread by up to 10 %
 *   earlier so a fleet does not compare in lock-step;
 * - a transient failure: 5 s doubling per consecutive failure, capped at
 *   3 minutes, or later if the server asked (`Retry-After`);
 * - a resource still progressing after a sync: 1 s doubling, capped at 30 s,
 *   so the Application turns Healthy soon after its resources do;
 * - a wait the auto-sync guard asked for (retry or self-heal backoff).
 */
import { HealthStatusCode } from '../../health/health-status';

export interface NextCheckInput {
  readonly nowMs: number;
  readonly compareIntervalMs: number;
  /** Uniform random number in [0, 1). */
  readonly random: number;
  /** Consecutive transient failures of this Application, this one included (0: the pass worked). */
  readonly transientFailures: number;
  readonly retryAfterMs?: number;
  readonly health?: HealthStatusCode;
  /** Consecutive passes that found the Application Progressing. */
  readonly progressingChecks: number;
  readonly waitUntilMs?: number;
}

const FAILURE_BASE_MS = 5_000;
const FAILURE_CAP_MS = 180_000;
const PROGRESS_BASE_MS = 1_000;
const PROGRESS_CAP_MS = 30_000;

/** The time of the next unprompted pass, in epoch milliseconds. */
export function nextCheckAtMs(input: NextCheckInput): number {
  const { nowMs } = input;
  const candidates = [nowMs + input.compareIntervalMs * (1 - 0.1 * input.random)];
  if (input.transientFailures > 0) {
    const backoff = Math.min(
      FAILURE_CAP_MS,
      FAILURE_BASE_MS * 2 ** Math.min(input.transientFailures - 1, 16),
    );
    const jittered = backoff * (0.8 + 0.4 * input.random);
    candidates.push(nowMs + Math.max(jittered, input.retryAfterMs ?? 0));
  }
  if (input.health === 'Progressing' || input.health === 'Missing') {
    const wait = Math.min(
      PROGRESS_CAP_MS,
      PROGRESS_BASE_MS * 2 ** Math.min(input.progressingChecks, 16),
    );
    candidates.push(nowMs + wait);
  }
  if (input.waitUntilMs !== undefined) candidates.push(Math.max(nowMs, input.waitUntilMs));
  return Math.round(Math.min(...candidates));
}
