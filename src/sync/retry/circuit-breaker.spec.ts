import {
  CLOSED_CIRCUIT,
  CircuitBreakerSettings,
  CircuitState,
  recordCircuitFailure,
  recordCircuitSuccess,
  requestThroughCircuit,
} from './circuit-breaker';

const settings: CircuitBreakerSettings = {
  failureThreshold: 3,
  openMs: 1_000,
  factor: 2,
  maxOpenMs: 3_000,
};

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures', () => {
    let state: CircuitState = CLOSED_CIRCUIT;
    state = recordCircuitFailure(state, 0, settings);
    state = recordCircuitFailure(state, 0, settings);
    expect(state).toEqual({ phase: 'closed', consecutiveFailures: 2 });
    state = recordCircuitFailure(state, 100, settings);
    expect(state).toEqual({ phase: 'open', reopenAtMs: 1_100, openings: 1 });
  });

  it('a success resets the count', () => {
    const state = recordCircuitSuccess(recordCircuitFailure(CLOSED_CIRCUIT, 0, settings));
    expect(recordCircuitFailure(recordCircuitFailure(state, 0, settings), 0, settings)).toEqual({
      phase: 'closed',
      consecutiveFailures: 2,
    });
  });

  it.each<[string, CircuitState, number, object]>([
    ['closed: allowed', CLOSED_CIRCUIT, 0, { allowed: true, state: CLOSED_CIRCUIT }],
    [
      'open, too early: refused with the time to ask again',
      { phase: 'open', reopenAtMs: 1_000, openings: 1 },
      999,
      {
        allowed: false,
        state: { phase: 'open', reopenAtMs: 1_000, openings: 1 },
        retryAtMs: 1_000,
      },
    ],
    [
      'open, period over: one probe',
      { phase: 'open', reopenAtMs: 1_000, openings: 1 },
      1_000,
      { allowed: true, state: { phase: 'half-open', openings: 1 } },
    ],
    [
      'half-open, probe out: refused',
      { phase: 'half-open', openings: 1 },
      5_000,
      { allowed: false, state: { phase: 'half-open', openings: 1 } },
    ],
  ])('%s', (_name, state, now, expected) => {
    expect(requestThroughCircuit(state, now)).toEqual(expected);
  });

  it.each<[string, CircuitState, number, CircuitState]>([
    [
      'a failed probe re-opens for twice as long',
      { phase: 'half-open', openings: 1 },
      10_000,
      { phase: 'open', reopenAtMs: 12_000, openings: 2 },
    ],
    [
      'the open period is capped',
      { phase: 'half-open', openings: 5 },
      10_000,
      { phase: 'open', reopenAtMs: 13_000, openings: 6 },
    ],
    [
      'a late failure leaves an open circuit alone',
      { phase: 'open', reopenAtMs: 1_000, openings: 1 },
      500,
      { phase: 'open', reopenAtMs: 1_000, openings: 1 },
    ],
  ])('%s', (_name, state, now, expected) => {
    expect(recordCircuitFailure(state, now, settings)).toEqual(expected);
  });

  it('a successful probe closes the circuit', () => {
    expect(recordCircuitSuccess({ phase: 'half-open', openings: 3 })).toEqual(CLOSED_CIRCUIT);
  });
});
