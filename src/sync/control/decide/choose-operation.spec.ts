import { Application } from '../../../argo/application.types';
import { LastAttempt, RequestedOperation } from '../sync-control.types';
import {
  OperationChoice,
  OperationChoiceInput,
  SELF_HEAL_COOLDOWN_MS,
  chooseOperation,
} from './choose-operation';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function app(syncPolicy?: Application['spec']['syncPolicy']): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/a.git', path: 'web', targetRevision: 'main' },
      destination: { name: 'c1', namespace: 'web' },
      ...(syncPolicy ? { syncPolicy } : {}),
    },
  };
}

const request: RequestedOperation = {
  id: 'r1',
  kind: 'sync',
  prune: true,
  dryRun: false,
  allowEmpty: false,
  initiatedBy: { username: 'api', automated: false },
  requestedAt: iso(NOW - 1000),
};

const attempt = (over: Partial<LastAttempt>): LastAttempt => ({
  revision: 'c2',
  specHash: 'h1',
  phase: 'Succeeded',
  retryCount: 0,
  trigger: 'new-target',
  finishedAt: iso(NOW - 1_000),
  ...over,
});

const base: OperationChoiceInput = {
  app: app({ automated: {} }),
  requested: null,
  syncStatus: 'OutOfSync',
  revision: 'c2',
  specHash: 'h1',
  wouldPruneEverything: false,
  lastAttempt: null,
  selfHealAttempts: 0,
  nowMs: NOW,
};

const automatedRun = (trigger: string, retryCount = 0, extra = {}) => ({
  action: 'run',
  operation: {
    trigger,
    prune: false,
    dryRun: false,
    allowEmpty: false,
    retryCount,
    initiatedBy: { automated: true },
    ...extra,
  },
});

describe(chooseOperation.name, () => {
  it.each<[string, Partial<OperationChoiceInput>, OperationChoice | object]>([
    [
      'a requested sync runs first, even when Synced',
      { requested: { ...request, revision: 'c1' }, syncStatus: 'Synced' },
      {
        action: 'run',
        operation: {
          trigger: 'manual',
          revision: 'c1',
          prune: true,
          dryRun: false,
          allowEmpty: false,
          retryCount: 0,
          initiatedBy: { username: 'api', automated: false },
          requestId: 'r1',
          manual: { ...request, revision: 'c1' },
        },
      },
    ],
    [
      'a requested rollback carries the history source',
      {
        requested: {
          ...request,
          kind: 'rollback',
          revision: 'c0',
          source: { repoURL: 'https://git.example.com/a.git', path: 'old' },
          rollbackId: 3,
        },
      },
      {
        action: 'run',
        operation: expect.objectContaining({
          trigger: 'rollback',
          revision: 'c0',
          source: { repoURL: 'https://git.example.com/a.git', path: 'old' },
        }),
      },
    ],
    ['automated, new commit', {}, automatedRun('new-target')],
    [
      'automated with prune and allowEmpty',
      { app: app({ automated: { prune: true, allowEmpty: true } }) },
      automatedRun('new-target', 0, { prune: true, allowEmpty: true }),
    ],
    [
      'automated, already Synced',
      { syncStatus: 'Synced' },
      { action: 'none', reason: 'the Application is Synced' },
    ],
    [
      'automated with prune would wipe everything: a SyncError, no sync',
      { app: app({ automated: { prune: true } }), wouldPruneEverything: true },
      {
        action: 'none',
        reason: 'skipping sync attempt to c2: auto-sync will wipe out all resources',
        syncError: 'skipping sync attempt to c2: auto-sync will wipe out all resources',
      },
    ],
    [
      'automated, same target already synced, no self-heal: drift is only reported',
      { lastAttempt: attempt({}) },
      {
        action: 'none',
        reason: 'already synced to c2; self-heal is off, so drift is only reported',
      },
    ],
    [
      'self-heal within its backoff waits',
      {
        app: app({ automated: { selfHeal: true } }),
        lastAttempt: attempt({}),
        selfHealAttempts: 2,
      },
      { action: 'wait', untilMs: NOW + 5_000, reason: 'self-heal backoff' },
    ],
    [
      'self-heal after the cooldown starts again without waiting',
      {
        app: app({ automated: { selfHeal: true } }),
        lastAttempt: attempt({ finishedAt: iso(NOW - SELF_HEAL_COOLDOWN_MS - 1) }),
        selfHealAttempts: 5,
      },
      automatedRun('self-heal'),
    ],
    [
      'a failed automated attempt is retried by the default policy after 5 s',
      { lastAttempt: attempt({ phase: 'Failed', finishedAt: iso(NOW - 6_000) }) },
      automatedRun('retry', 1),
    ],
    [
      'a terminated attempt is never retried automatically',
      {
        lastAttempt: attempt({ phase: 'Failed', terminated: true, finishedAt: iso(NOW - 60_000) }),
      },
      {
        action: 'none',
        reason:
          'the sync to c2 failed and its retries are exhausted; a new commit or spec change is needed',
      },
    ],
    [
      'a terminated attempt does not stop a new commit',
      { lastAttempt: attempt({ revision: 'c1', phase: 'Failed', terminated: true }) },
      automatedRun('new-target'),
    ],
    [
      'an invalid retry policy is a SyncError',
      { app: app({ automated: {}, retry: { backoff: { duration: 'soon' } } }) },
      {
        action: 'none',
        reason: 'the retry policy is invalid',
        syncError: expect.stringContaining('spec.syncPolicy.retry.backoff.duration'),
      },
    ],
    [
      'manual Application: nothing runs',
      { app: app() },
      { action: 'none', reason: 'automated sync is disabled' },
    ],
    [
      'manual Application: a failed manual sync is retried by its retry policy',
      {
        app: app({ retry: { limit: 2 } }),
        lastAttempt: attempt({
          phase: 'Failed',
          trigger: 'manual',
          manual: request,
          finishedAt: iso(NOW - 5_000),
        }),
      },
      {
        action: 'run',
        operation: expect.objectContaining({ trigger: 'retry', retryCount: 1, prune: true }),
      },
    ],
    [
      'manual Application: the retry waits for its backoff',
      {
        app: app({ retry: { limit: 2 } }),
        lastAttempt: attempt({
          phase: 'Error',
          trigger: 'retry',
          retryCount: 1,
          manual: request,
          finishedAt: iso(NOW - 1_000),
        }),
      },
      { action: 'wait', untilMs: NOW + 9_000, reason: 'retry 2 is due later' },
    ],
    [
      'manual Application: retries exhausted',
      {
        app: app({ retry: { limit: 1 } }),
        lastAttempt: attempt({ phase: 'Failed', retryCount: 1, manual: request }),
      },
      { action: 'none', reason: 'automated sync is disabled' },
    ],
  ])('%s', (_name, over, expected) => {
    expect(chooseOperation({ ...base, ...over })).toEqual(expected);
  });
});
