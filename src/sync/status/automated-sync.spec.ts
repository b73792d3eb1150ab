import { RetryPolicy } from '../retry/retry-policy';
import { AutomatedSyncDecision, AutomatedSyncInput, decideAutomatedSync } from './automated-sync';

const NOW = 1_000_000;
const retry5: RetryPolicy = {
  limit: 5,
  durationMs: 5_000,
  factor: 2,
  maxDurationMs: 180_000,
  refresh: false,
};
const base: AutomatedSyncInput = {
  policy: { automated: {} },
  syncStatus: 'OutOfSync',
  revision: 'c2',
  specHash: 'h1',
  retryPolicy: retry5,
  selfHealAttempts: 0,
  wouldPruneEverything: false,
  nowMs: NOW,
};
const last = (over: Partial<NonNullable<AutomatedSyncInput['lastSync']>>) => ({
  revision: 'c2',
  specHash: 'h1',
  phase: 'Succeeded' as const,
  retryCount: 0,
  finishedAtMs: NOW - 1_000,
  ...over,
});

describe('decideAutomatedSync (B1 auto-sync guards)', () => {
  it.each<[string, Partial<AutomatedSyncInput>, AutomatedSyncDecision]>([
    [
      'automated sync off',
      { policy: {} },
      { action: 'skip', reason: 'automated sync is disabled' },
    ],
    [
      'automated sync switched off with enabled: false',
      { policy: { automated: { enabled: false } } },
      { action: 'skip', reason: 'automated sync is disabled' },
    ],
    [
      'already Synced',
      { syncStatus: 'Synced' },
      { action: 'skip', reason: 'the Application is Synced' },
    ],
    [
      'comparison Unknown',
      { syncStatus: 'Unknown' },
      { action: 'skip', reason: 'the Application is Unknown' },
    ],
    [
      'an operation is running',
      { lastSync: last({ phase: 'Running' }) },
      { action: 'skip', reason: 'an operation is already in progress' },
    ],
    ['a new commit, never attempted', {}, { action: 'sync', trigger: 'new-target', retryCount: 0 }],
    [
      'a new commit after a failure of the old one',
      { lastSync: last({ revision: 'c1', phase: 'Failed', retryCount: 5 }) },
      { action: 'sync', trigger: 'new-target', retryCount: 0 },
    ],
    [
      'the same commit with a changed spec',
      { lastSync: last({ specHash: 'h0' }) },
      { action: 'sync', trigger: 'new-target', retryCount: 0 },
    ],
    [
      'the wipe-out guard',
      { policy: { automated: { prune: true } }, wouldPruneEverything: true },
      {
        action: 'skip',
        reason: 'skipping sync attempt to c2: auto-sync will wipe out all resources',
      },
    ],
    [
      'allowEmpty lifts the wipe-out guard',
      { policy: { automated: { prune: true, allowEmpty: true } }, wouldPruneEverything: true },
      { action: 'sync', trigger: 'new-target', retryCount: 0 },
    ],
    [
      'without prune the guard does not apply',
      { wouldPruneEverything: true },
      { action: 'sync', trigger: 'new-target', retryCount: 0 },
    ],
    [
      'already synced, self-heal off: drift is only reported',
      { lastSync: last({}) },
      {
        action: 'skip',
        reason: 'already synced to c2; self-heal is off, so drift is only reported',
      },
    ],
    [
      'self-heal, first attempt: no wait',
      { policy: { automated: { selfHeal: true } }, lastSync: last({}) },
      { action: 'sync', trigger: 'self-heal', retryCount: 0 },
    ],
    [
      'self-heal, third attempt within its backoff (18 s, 1 s elapsed)',
      { policy: { automated: { selfHeal: true } }, lastSync: last({}), selfHealAttempts: 3 },
      { action: 'wait', untilMs: NOW + 17_000, reason: 'self-heal backoff' },
    ],
    [
      'self-heal once the backoff has passed',
      {
        policy: { automated: { selfHeal: true } },
        lastSync: last({ finishedAtMs: NOW - 20_000 }),
        selfHealAttempts: 3,
      },
      { action: 'sync', trigger: 'self-heal', retryCount: 0 },
    ],
    [
      'a failed attempt is retried after its backoff (second retry: 10 s)',
      { lastSync: last({ phase: 'Failed', retryCount: 1, finishedAtMs: NOW - 3_000 }) },
      { action: 'wait', untilMs: NOW + 7_000, reason: 'retry 2 is due later' },
    ],
    [
      'a failed attempt, backoff over: retry',
      { lastSync: last({ phase: 'Error', retryCount: 1, finishedAtMs: NOW - 10_000 }) },
      { action: 'sync', trigger: 'retry', retryCount: 2 },
    ],
    [
      'a failed attempt with retries exhausted is never re-attempted',
      { lastSync: last({ phase: 'Failed', retryCount: 5 }) },
      {
        action: 'skip',
        reason:
          'the sync to c2 failed and its retries are exhausted; a new commit or spec change is needed',
      },
    ],
    [
      'a failed attempt with no retry policy is never re-attempted',
      { retryPolicy: { ...retry5, limit: 0 }, lastSync: last({ phase: 'Failed' }) },
      {
        action: 'skip',
        reason:
          'the sync to c2 failed and its retries are exhausted; a new commit or spec change is needed',
      },
    ],
  ])('%s', (_name, over, expected) => {
    expect(decideAutomatedSync({ ...base, ...over })).toEqual(expected);
  });
});
