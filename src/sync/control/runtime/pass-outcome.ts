/**
 * What one pass reports back to its cluster worker: the Application as it
 * now stands (status and memory as written), and the facts the worker needs
 * to schedule the next look and to keep the cluster's circuit breaker.
 */
import { HealthStatusCode } from '../../health/health-status';
import { FailureDescriptor } from '../../retry/failure-classification';
import { jsonEqual } from '../../manifests/content-hash';
import { SyncState, SyncedApplication } from '../sync-control.types';
import { OperationMemory } from './operation-runner';

export interface PassOutcome {
  readonly app: SyncedApplication;
  /** The lease was lost or the worker stopped mid-pass: nothing more may be written. */
  readonly stopped?: boolean;
  /** The Application's rows are gone (deletion finished). */
  readonly removed?: boolean;
  /** How the cluster answered: `failed` counts towards its circuit breaker. */
  readonly cluster: 'ok' | 'failed' | 'untouched';
  readonly failure?: FailureDescriptor;
  /** The pass failed in a way worth retrying soon (with backoff). */
  readonly transient: boolean;
  readonly retryAfterMs?: number;
  readonly health?: HealthStatusCode;
  /** The auto-sync guard asked to look again at this time. */
  readonly waitUntilMs?: number;
}

/** The worker-owned part of the sync state. */
export function memoryOf(state: SyncState): OperationMemory {
  return {
    inventory: state.inventory,
    lastAttempt: state.lastAttempt,
    selfHealAttempts: state.selfHealAttempts,
    resumeCount: state.resumeCount,
  };
}

/** True when two memories are equal as JSON. */
export function sameMemory(a: OperationMemory, b: OperationMemory): boolean {
  return jsonEqual(a, b);
}
