import { KubeObject } from '../manifests/kube-object';
import { assessHealth } from './assess-health';
import { HealthStatus } from './health-status';

function workload(
  apiVersion: string,
  kind: string,
  spec: object,
  status: object,
  generation = 2,
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'web', namespace: 'prod', generation },
    spec,
    status,
  };
}

describe('Deployment health (B2 row 1)', () => {
  const deployment = (spec: object, status: object, generation = 2) =>
    workload('apps/v1', 'Deployment', { replicas: 3, ...spec }, status, generation);
  const settled = { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 };
  it.each<[string, KubeObject, HealthStatus]>([
    ['rolled out', deployment({}, settled), { status: 'Healthy', message: '' }],
    [
      'observedGeneration ahead of generation',
      deployment({}, { ...settled, observedGeneration: 3 }),
      { status: 'Healthy', message: '' },
    ],
    [
      'paused (even mid-rollout)',
      deployment({ paused: true }, { observedGeneration: 1 }),
      { status: 'Suspended', message: 'Deployment is paused' },
    ],
    [
      'generation not yet observed',
      deployment({}, { ...settled, observedGeneration: 1 }),
      {
        status: 'Progressing',
        message:
          'Waiting for rollout to finish: observed deployment generation less than desired generation',
      },
    ],
    [
      'progress deadline exceeded',
      deployment(
        {},
        {
          ...settled,
          updatedReplicas: 1,
          conditions: [
            { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
          ],
        },
      ),
      { status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' },
    ],
    [
      'fewer updated replicas than wanted',
      deployment({}, { ...settled, updatedReplicas: 1 }),
      {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: 1 out of 3 new replicas have been updated...',
      },
    ],
    [
      'old replicas still terminating',
      deployment({}, { ...settled, replicas: 5 }),
      {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: 2 old replicas are pending termination...',
      },
    ],
    [
      'updated replicas not yet available',
      deployment({}, { ...settled, availableReplicas: 2 }),
      {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: 2 of 3 updated replicas are available...',
      },
    ],
    [
      'scaled to zero',
      deployment({ replicas: 0 }, { observedGeneration: 2 }),
      { status: 'Healthy', message: '' },
    ],
    [
      'legacy extensions group',
      workload(
        'extensions/v1beta1',
        'Deployment',
        { replicas: 1 },
        { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
      ),
      { status: 'Healthy', message: '' },
    ],
  ])('%s', (_name, obj, expected) => {
    expect(assessHealth(obj)).toEqual(expected);
  });
});

describe('StatefulSet health (B2 row 2)', () => {
  const sts = (spec: object, status: object, generation = 2) =>
    workload('apps/v1', 'StatefulSet', { replicas: 3, ...spec }, status, generation);
  const ready = {
    observedGeneration: 2,
    readyReplicas: 3,
    currentReplicas: 3,
    updatedReplicas: 3,
    currentRevision: 'r1',
    updateRevision: 'r1',
  };
  it.each<[string, KubeObject, HealthStatus]>([
    [
      'rolling update complete',
      sts({}, ready),
      {
        status: 'Healthy',
        message: 'statefulset rolling update complete 3 pods at revision r1...',
      },
    ],
    [
      'observedGeneration 0',
      sts({}, { ...ready, observedGeneration: 0 }),
      { status: 'Progressing', message: 'Waiting for statefulset spec update to be observed...' },
    ],
    [
      'stale observedGeneration',
      sts({}, { ...ready, observedGeneration: 1 }),
      { status: 'Progressing', message: 'Waiting for statefulset spec update to be observed...' },
    ],
    [
      'pods not ready',
      sts({}, { ...ready, readyReplicas: 1 }),
      { status: 'Progressing', message: 'Waiting for 2 pods to be ready...' },
    ],
    [
      'revisions differ',
      sts({}, { ...ready, updateRevision: 'r2', updatedReplicas: 1 }),
      {
        status: 'Progressing',
        message: 'waiting for statefulset rolling update to complete 1 pods at revision r2...',
      },
    ],
    [
      'partition not reached',
      sts(
        { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } },
        { ...ready, updatedReplicas: 1, updateRevision: 'r2' },
      ),
      {
        status: 'Progressing',
        message:
          'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
      },
    ],
    [
      'partition reached (updated ≥ replicas − partition) while revisions still differ',
      sts(
        { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } },
        { ...ready, updatedReplicas: 2, updateRevision: 'r2' },
      ),
      {
        status: 'Healthy',
        message: 'partitioned roll out complete: 2 new pods have been updated...',
      },
    ],
    [
      'OnDelete is Healthy whatever the revisions',
      sts(
        { updateStrategy: { type: 'OnDelete' } },
        { ...ready, updatedReplicas: 0, updateRevision: 'r2' },
      ),
      { status: 'Healthy', message: 'statefulset has 3 ready pods (0 updated)' },
    ],
  ])('%s', (_name, obj, expected) => {
    expect(assessHealth(obj)).toEqual(expected);
  });
});

describe('DaemonSet health (B2 row 3)', () => {
  const ds = (spec: object, status: object) => workload('apps/v1', 'DaemonSet', spec, status);
  const rolled = {
    observedGeneration: 2,
    desiredNumberScheduled: 4,
    updatedNumberScheduled: 4,
    numberAvailable: 4,
  };
  it.each<[string, KubeObject, HealthStatus]>([
    ['rolled out', ds({}, rolled), { status: 'Healthy', message: '' }],
    [
      'generation not observed',
      ds({}, { ...rolled, observedGeneration: 1 }),
      {
        status: 'Progressing',
        message:
          'Waiting for rollout to finish: observed daemon set generation less than desired generation',
      },
    ],
    [
      'not all updated',
      ds({}, { ...rolled, updatedNumberScheduled: 3 }),
      {
        status: 'Progressing',
        message:
          'Waiting for daemon set "web" rollout to finish: 3 out of 4 new pods have been updated...',
      },
    ],
    [
      'not all available',
      ds({}, { ...rolled, numberAvailable: 2 }),
      {
        status: 'Progressing',
        message:
          'Waiting for daemon set "web" rollout to finish: 2 of 4 updated pods are available...',
      },
    ],
    [
      'OnDelete',
      ds({ updateStrategy: { type: 'OnDelete' } }, { ...rolled, updatedNumberScheduled: 1 }),
      { status: 'Healthy', message: 'daemon set 1 out of 4 new pods have been updated' },
    ],
  ])('%s', (_name, obj, expected) => {
    expect(assessHealth(obj)).toEqual(expected);
  });
});

describe('ReplicaSet health', () => {
  const rs = (status: object) => workload('apps/v1', 'ReplicaSet', { replicas: 2 }, status);
  it.each<[string, KubeObject, HealthStatus]>([
    [
      'available',
      rs({ observedGeneration: 2, availableReplicas: 2 }),
      { status: 'Healthy', message: '' },
    ],
    [
      'generation not observed',
      rs({ observedGeneration: 1 }),
      {
        status: 'Progressing',
        message:
          'Waiting for rollout to finish: observed replica set generation less than desired generation',
      },
    ],
    [
      'replica failure',
      rs({
        observedGeneration: 2,
        conditions: [{ type: 'ReplicaFailure', status: 'True', message: 'quota exceeded' }],
      }),
      { status: 'Degraded', message: 'quota exceeded' },
    ],
    [
      'replica failure cleared',
      rs({
        observedGeneration: 2,
        availableReplicas: 2,
        conditions: [{ type: 'ReplicaFailure', status: 'False' }],
      }),
      { status: 'Healthy', message: '' },
    ],
    [
      'not all available',
      rs({ observedGeneration: 2, availableReplicas: 1 }),
      {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: 1 out of 2 new replicas are available...',
      },
    ],
  ])('%s', (_name, obj, expected) => {
    expect(assessHealth(obj)).toEqual(expected);
  });
});
