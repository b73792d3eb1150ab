/**
 * A per-cluster circuit breaker, so one unreachable cluster is probed with
 * backoff instead of hammered by every Application on it, and never slows
 * the others (conventions: clusters are isolated from each other). Pure
 * state machine: the caller stores the state and passes the time.
 *
 *   closed ──(threshold consecutive failures)──▶ open
 *   open ──(open period elapsed, next request)──▶ half-open (one probe)
 *   half-open ──(probe succeeds)──▶ closed
 *   half-open ──(probe fails)──▶ open, for a period ×factor (capped)
 *
 * Record only failures that say the cluster is unwell (transient ones, see
 * failure-classification.ts); a bad manifest must not open the circuit.
 * Fleetplane's own mechanism: Argo CD has no equivalent.
 */

export interface CircuitBreakerSettings {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit first stays open. */
  readonly openMs: number;
  /** Growth of the open period after each failed probe. */
  readonly factor: number;
  /** The longest open period. */
  readonly maxOpenMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerSettings = {
  failureThreshold: 5,
  openMs: 10_000,
  factor: 2,
  maxOpenMs: 300_000,
};

export type CircuitState =
  | { readonly phase: 'closed'; readonly consecutiveFailures: number }
  | { readonly phase: 'open'; readonly reopenAtMs: number; readonly openings: number }
  | { readonly phase: 'half-open'; readonly openings: number };

/** A closed circuit with no failures. */
export const CLOSED_CIRCUIT: CircuitState = { phase: 'closed', consecutiveFailures: 0 };

/** Whether a request may go out now, the state to store, and when to ask again if not. */
export interface CircuitDecision {
  readonly allowed: boolean;
  readonly state: CircuitState;
  readonly retryAtMs?: number;
}

/**
 * Asks to send a request at `nowMs`. A closed circuit allows it; an open one
 * refuses until its period ends and then allows exactly one probe
 * (half-open); while that probe is out, further requests are refused.
 */
export function requestThroughCircuit(state: CircuitState, nowMs: number): CircuitDecision {
  switch (state.phase) {
    case 'closed':
      return { allowed: true, state };
    case 'open':
      if (nowMs < state.reopenAtMs) return { allowed: false, state, retryAtMs: state.reopenAtMs };
      return { allowed: true, state: { phase: 'half-open', openings: state.openings } };
    case 'half-open':
      return { allowed: false, state };
  }
}

/** Records a success: the circuit closes and forgets past failures. */
export function recordCircuitSuccess(_state: CircuitState): CircuitState {
  return CLOSED_CIRCUIT;
}

/**
 * Records a failure at `nowMs`: counts it while closed (opening at the
 * threshold), re-opens for a longer period after a failed probe, and leaves
 * an open circuit as it is (a late answer to a request sent before it opened).
 */
export function recordCircuitFailure(
  state: CircuitState,
  nowMs: number,
  settings: CircuitBreakerSettings = DEFAULT_CIRCUIT_BREAKER,
): CircuitState {
  switch (state.phase) {
    case 'closed': {
      const consecutiveFailures = state.consecutiveFailures + 1;
      if (consecutiveFailures < settings.failureThreshold)
        return { phase: 'closed', consecutiveFailures };
      return open(nowMs, 1, settings);
    }
    case 'half-open':
      return open(nowMs, state.openings + 1, settings);
    case 'open':
      return state;
  }
}

function open(nowMs: number, openings: number, settings: CircuitBreakerSettings): CircuitState {
  const period = Math.min(settings.maxOpenMs, settings.openMs * settings.factor ** (openings - 1));
  return { phase: 'open', reopenAtMs: nowMs + period, openings };
}
