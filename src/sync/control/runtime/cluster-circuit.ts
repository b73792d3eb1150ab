/**
 * A cluster's circuit breaker as its worker uses it: the pure state machine
 * of `retry/circuit-breaker` plus a pause the server itself asked for
 * (`Retry-After` on a 429). Reports when the circuit opens or closes, so the
 * cluster's connection status can show it.
 */
import {
  CLOSED_CIRCUIT,
  CircuitState,
  recordCircuitFailure,
  recordCircuitSuccess,
  requestThroughCircuit,
} from '../../retry/circuit-breaker';

export type CircuitChange = 'opened' | 'closed' | undefined;

export class ClusterCircuit {
  private state: CircuitState = CLOSED_CIRCUIT;
  private pausedUntilMs = 0;

  /** Whether a pass may start now; if not, when to ask again (undefined: when a probe ends). */
  allow(nowMs: number): { allowed: boolean; retryAtMs?: number } {
    if (nowMs < this.pausedUntilMs) return { allowed: false, retryAtMs: this.pausedUntilMs };
    const decision = requestThroughCircuit(this.state, nowMs);
    this.state = decision.state;
    return decision.allowed
      ? { allowed: true }
      : {
          allowed: false,
          ...(decision.retryAtMs !== undefined ? { retryAtMs: decision.retryAtMs } : {}),
        };
  }

  /**
   * Records how the cluster answered a pass: `ok`, `failed` (a failure that
   * says the cluster is unwell), or `untouched` (the pass never reached it).
   */
  record(
    answer: 'ok' | 'failed' | 'untouched',
    nowMs: number,
    retryAfterMs?: number,
  ): CircuitChange {
    const wasOpen = this.state.phase !== 'closed';
    if (answer === 'ok') this.state = recordCircuitSuccess(this.state);
    else if (answer === 'failed') {
      this.state = recordCircuitFailure(this.state, nowMs);
      if (retryAfterMs) this.pausedUntilMs = Math.max(this.pausedUntilMs, nowMs + retryAfterMs);
    } else if (this.state.phase === 'half-open') {
      // The probe never reached the cluster (Git failed): let the next pass probe.
      this.state = { phase: 'open', reopenAtMs: nowMs, openings: this.state.openings };
    }
    const isOpen = this.state.phase !== 'closed';
    if (!wasOpen && isOpen) return 'opened';
    if (wasOpen && !isOpen) return 'closed';
    return undefined;
  }

  get phase(): CircuitState['phase'] {
    return this.state.phase;
  }
}
