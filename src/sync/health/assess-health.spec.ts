import { KubeObject } from '../manifests/kube-object';
import { ResourceHealth, aggregateHealth, resourceHealth } from './aggregate-health';
import { assessHealth } from './assess-health';
import { HealthStatus, HealthStatusCode, isWorseHealth } from './health-status';

const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'n' },
};

describe('assessHealth (B2 row "Any")', () => {
  it.each<[string, KubeObject, HealthStatus]>([
    [
      'a kind without a check exists, so it is Healthy',
      configMap,
      { status: 'Healthy', message: '' },
    ],
    [
      'a custom resource',
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        status: { phase: 'Broken' },
      },
      { status: 'Healthy', message: '' },
    ],
    [
      'being deleted',
      {
        ...configMap,
        metadata: { ...configMap.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
      },
      { status: 'Progressing', message: 'Pending deletion' },
    ],
    [
      'being deleted but held by the hook finalizer: judged normally',
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: 'j',
          deletionTimestamp: '2026-01-01T00:00:00Z',
          finalizers: ['argocd.argoproj.io/hook-finalizer'],
        },
        status: { conditions: [{ type: 'Complete', status: 'True' }] },
      },
      { status: 'Healthy', message: '' },
    ],
    [
      'a field of the wrong type gives Unknown, never a crash',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { replicas: '3' },
        status: { observedGeneration: 0 },
      },
      {
        status: 'Unknown',
        message:
          'failed to assess the health of Deployment "web": spec.replicas must be an integer',
      },
    ],
    [
      'status that is not an object gives Unknown',
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: 'Running' },
      {
        status: 'Unknown',
        message: 'failed to assess the health of Pod "p": status must be an object',
      },
    ],
    [
      'malformed conditions give Unknown',
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'j' },
        status: { conditions: [{ type: 7 }] },
      },
      {
        status: 'Unknown',
        message:
          'failed to assess the health of Job "j": status.conditions.0 must be a condition of strings',
      },
    ],
  ])('%s', (_name, obj, expected) => {
    expect(assessHealth(obj)).toEqual(expected);
  });
});

describe('isWorseHealth', () => {
  it('orders Healthy < Suspended < Progressing < Missing < Degraded < Unknown', () => {
    const order: HealthStatusCode[] = [
      'Healthy',
      'Suspended',
      'Progressing',
      'Missing',
      'Degraded',
      'Unknown',
    ];
    for (let i = 0; i < order.length; i++) {
      for (let j = 0; j < order.length; j++) expect(isWorseHealth(order[i], order[j])).toBe(j > i);
    }
  });
});

describe('resourceHealth', () => {
  const hook: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
  };
  const ignored: KubeObject = {
    ...configMap,
    metadata: {
      ...configMap.metadata,
      annotations: { 'argocd.argoproj.io/ignore-healthcheck': 'true' },
    },
  };
  const skipped: KubeObject = {
    ...configMap,
    metadata: { ...configMap.metadata, annotations: { 'argocd.argoproj.io/hook': 'Skip' } },
  };
  it.each<[string, KubeObject | undefined, KubeObject | undefined, ResourceHealth]>([
    ['desired but not live', configMap, undefined, { status: 'Missing', message: '' }],
    ['live', configMap, configMap, { status: 'Healthy', message: '' }],
    ['a hook', hook, undefined, { status: 'Missing', message: '', excluded: 'hook' }],
    [
      'ignore-healthcheck on the live object',
      configMap,
      ignored,
      { status: 'Healthy', message: '', excluded: 'ignore-healthcheck' },
    ],
    ['a Skip hook', skipped, undefined, { status: 'Missing', message: '', excluded: 'skipped' }],
  ])('%s', (_name, desired, live, expected) => {
    expect(resourceHealth(desired, live)).toEqual(expected);
  });
});

describe('aggregateHealth', () => {
  const r = (status: HealthStatusCode, excluded?: ResourceHealth['excluded']): ResourceHealth => ({
    status,
    message: '',
    ...(excluded ? { excluded } : {}),
  });
  it.each<[string, ResourceHealth[], HealthStatus]>([
    ['no resources', [], { status: 'Healthy', message: '' }],
    ['all healthy', [r('Healthy'), r('Healthy')], { status: 'Healthy', message: '' }],
    [
      'worst wins: Suspended < Progressing',
      [r('Suspended'), r('Progressing'), r('Healthy')],
      { status: 'Progressing', message: '' },
    ],
    [
      'worst wins: Degraded < Unknown',
      [r('Unknown'), r('Degraded')],
      { status: 'Unknown', message: '' },
    ],
    [
      'Missing resources do not count while others are live',
      [r('Missing'), r('Healthy')],
      { status: 'Healthy', message: '' },
    ],
    [
      'nothing live at all: Missing',
      [r('Missing'), r('Missing')],
      { status: 'Missing', message: 'none of the resources exist in the cluster' },
    ],
    [
      'a degraded hook does not count',
      [r('Degraded', 'hook'), r('Healthy')],
      { status: 'Healthy', message: '' },
    ],
    [
      'an ignored resource does not count',
      [r('Unknown', 'ignore-healthcheck'), r('Suspended')],
      { status: 'Suspended', message: '' },
    ],
    [
      'only a live hook and missing resources: Missing',
      [r('Healthy', 'hook'), r('Missing')],
      { status: 'Missing', message: 'none of the resources exist in the cluster' },
    ],
    [
      'only excluded resources: Healthy',
      [r('Degraded', 'hook')],
      { status: 'Healthy', message: '' },
    ],
  ])('%s', (_name, resources, expected) => {
    expect(aggregateHealth(resources)).toEqual(expected);
  });
});
