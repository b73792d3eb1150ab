/**
 * Retry: Argo CD's sync retry policy (`resolveRetryPolicy`, `retryDelayMs`),
 * durations (`parseDuration`), the self-heal backoff (`selfHealDelayMs`),
 * jitter (`withJitter`), a per-cluster circuit breaker
 * (`requestThroughCircuit`, `recordCircuitFailure`) and failure
 * classification (`classifyFailure`). Pure functions; time and randomness
 * are passed in.
 */
export * from './circuit-breaker';
export * from './duration';
export * from './failure-classification';
export * from './jitter';
export * from './retry-policy';
export * from './self-heal-backoff';
