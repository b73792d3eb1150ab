import { KubeObject } from '../manifests/kube-object';
import { withTrackingId } from '../manifests/tracking';
import {
  ComparisonOutcome,
  SyncStatusVerdict,
  applicationHealth,
  compareResources,
  computeSyncStatus,
  resourceStatuses,
} from './sync-status';

const cm = (
  name: string,
  data: Record<string, string>,
  annotations?: Record<string, string>,
): KubeObject =>
  withTrackingId(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'n', ...(annotations ? { annotations } : {}) },
      data,
    },
    'web',
  );
const hook = (name: string): KubeObject =>
  withTrackingId(
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'n', annotations: { 'argocd.argoproj.io/hook': 'PostSync' } },
    },
    'web',
  );
const outcome = (desired: KubeObject[], live: KubeObject[]): ComparisonOutcome => ({
  ok: true,
  resources: compareResources(desired, live, 'web'),
});

describe('computeSyncStatus', () => {
  it.each<[string, ComparisonOutcome, SyncStatusVerdict]>([
    [
      'every resource in sync',
      outcome([cm('a', { k: '1' })], [cm('a', { k: '1' })]),
      { status: 'Synced', message: '' },
    ],
    ['no resources at all', outcome([], []), { status: 'Synced', message: '' }],
    [
      'one drifted',
      outcome([cm('a', { k: '1' })], [cm('a', { k: '2' })]),
      { status: 'OutOfSync', message: 'resources: 1 differ from Git' },
    ],
    [
      'one missing',
      outcome([cm('a', { k: '1' })], []),
      { status: 'OutOfSync', message: 'resources: 1 missing' },
    ],
    [
      'an extraneous tracked resource, with or without prune',
      outcome([cm('a', { k: '1' })], [cm('a', { k: '1' }), cm('old', { k: '1' })]),
      { status: 'OutOfSync', message: 'resources: 1 no longer in Git (require pruning)' },
    ],
    [
      'an extraneous resource marked IgnoreExtraneous',
      outcome(
        [],
        [cm('old', { k: '1' }, { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' })],
      ),
      { status: 'Synced', message: '' },
    ],
    [
      'hooks never count, missing or not',
      outcome([cm('a', { k: '1' }), hook('smoke')], [cm('a', { k: '1' })]),
      { status: 'Synced', message: '' },
    ],
    [
      'several kinds of difference',
      outcome(
        [cm('a', { k: '1' }), cm('b', { k: '1' })],
        [cm('a', { k: '2' }), cm('c', { k: '1' })],
      ),
      {
        status: 'OutOfSync',
        message: 'resources: 1 differ from Git, 1 missing, 1 no longer in Git (require pruning)',
      },
    ],
    [
      'the comparison failed',
      { ok: false, error: 'rendering failed: kustomize not found' },
      { status: 'Unknown', message: 'comparison failed: rendering failed: kustomize not found' },
    ],
  ])('%s', (_name, given, expected) => {
    expect(computeSyncStatus(given)).toEqual(expected);
  });
});

describe('resourceStatuses and applicationHealth', () => {
  it('lists every resource in Argo shape with its health', () => {
    const resources = compareResources(
      [cm('a', { k: '1' }), hook('smoke'), cm('b', { k: '1' })],
      [cm('a', { k: '2' }), cm('old', { k: '1' })],
      'web',
    );
    expect(resourceStatuses(resources)).toEqual([
      {
        group: '',
        version: 'v1',
        kind: 'ConfigMap',
        namespace: 'n',
        name: 'a',
        status: 'OutOfSync',
        health: { status: 'Healthy', message: '' },
      },
      {
        group: '',
        version: 'v1',
        kind: 'ConfigMap',
        namespace: 'n',
        name: 'b',
        status: 'OutOfSync',
        health: { status: 'Missing', message: '' },
      },
      {
        group: '',
        version: 'v1',
        kind: 'ConfigMap',
        namespace: 'n',
        name: 'old',
        status: 'OutOfSync',
        health: { status: 'Healthy', message: '' },
        requiresPruning: true,
      },
      {
        group: 'batch',
        version: 'v1',
        kind: 'Job',
        namespace: 'n',
        name: 'smoke',
        status: 'OutOfSync',
        health: { status: 'Missing', message: '' },
        hook: true,
      },
    ]);
    expect(applicationHealth(resources)).toEqual({ status: 'Healthy', message: '' });
  });

  it('is Missing when nothing exists yet', () => {
    expect(applicationHealth(compareResources([cm('a', {}), cm('b', {})], [], 'web'))).toEqual({
      status: 'Missing',
      message: 'none of the resources exist in the cluster',
    });
  });
});
