import { KubeObject } from '../manifests/kube-object';
import { withTrackingId } from '../manifests/tracking';
import { ResourceDiff, diffResource, diffResources } from './diff-resources';
import { maskSecretValues } from './mask-secrets';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const secret = (fields: object, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's', namespace: 'n', ...(annotations ? { annotations } : {}) },
  ...fields,
});
const cm = (name: string, data: Record<string, string>, extra: object = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'n', ...extra },
  data,
});
const cmRef = (name: string) => ({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  namespace: 'n',
  name,
});
const secretRef = { group: '', version: 'v1', kind: 'Secret', namespace: 'n', name: 's' };
const serverFields = {
  uid: 'u-1',
  resourceVersion: '42',
  generation: 3,
  creationTimestamp: '2026-01-01T00:00:00Z',
  managedFields: [{ manager: 'fleetplane' }],
};

describe('diffResource', () => {
  it.each<[string, KubeObject | undefined, KubeObject | undefined, ResourceDiff]>([
    [
      'in sync, server fields ignored',
      cm('a', { k: 'v' }),
      { ...cm('a', { k: 'v' }, serverFields), status: { x: 1 } },
      { ref: cmRef('a'), status: 'Synced', differences: [] },
    ],
    [
      'drifted',
      cm('a', { k: 'v' }),
      cm('a', { k: 'edited' }),
      {
        ref: cmRef('a'),
        status: 'OutOfSync',
        differences: [{ path: 'data.k', desired: 'v', live: 'edited' }],
      },
    ],
    [
      'missing',
      cm('a', { k: 'v' }),
      undefined,
      {
        ref: cmRef('a'),
        status: 'Missing',
        differences: [{ path: '', desired: cm('a', { k: 'v' }) }],
      },
    ],
    [
      'extraneous, shown without server fields',
      undefined,
      cm(
        'a',
        { k: 'v' },
        {
          ...serverFields,
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
        },
      ),
      {
        ref: cmRef('a'),
        status: 'Extraneous',
        differences: [{ path: '', live: cm('a', { k: 'v' }, { annotations: {} }) }],
      },
    ],
    [
      'a desired apiVersion differing from the version read is not drift',
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h' },
        spec: { maxReplicas: 3 },
      },
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h' },
        spec: { maxReplicas: 3 },
      },
      {
        ref: {
          group: 'autoscaling',
          version: 'v2',
          kind: 'HorizontalPodAutoscaler',
          namespace: '',
          name: 'h',
        },
        status: 'Synced',
        differences: [],
      },
    ],
    [
      'Secret stringData matches the base64 data the server stores',
      secret({ stringData: { password: 'hunter2' }, data: { user: b64('admin') } }),
      secret({ data: { password: b64('hunter2'), user: b64('admin') }, type: 'Opaque' }),
      { ref: secretRef, status: 'Synced', differences: [] },
    ],
    [
      'Secret values are masked: same value same mask, different value longer mask',
      secret({ data: { password: b64('new'), user: b64('admin') } }),
      secret({ data: { password: b64('old'), user: b64('admin') } }),
      {
        ref: secretRef,
        status: 'OutOfSync',
        differences: [{ path: 'data.password', desired: '++++++++', live: '++++++++++++' }],
      },
    ],
    [
      'a missing Secret is shown masked',
      secret({ stringData: { token: 't0k3n' } }),
      undefined,
      {
        ref: secretRef,
        status: 'Missing',
        differences: [{ path: '', desired: secret({ data: { token: '++++++++' } }) }],
      },
    ],
    [
      'an extraneous Secret is shown masked, without its last-applied annotation',
      undefined,
      secret(
        { data: { token: b64('t') } },
        { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"token":"dA=="}}' },
      ),
      {
        ref: secretRef,
        status: 'Extraneous',
        differences: [{ path: '', live: secret({ data: { token: '++++++++' } }, {}) }],
      },
    ],
  ])('%s', (_name, desired, live, expected) => {
    expect(diffResource(desired, live)).toEqual(expected);
  });

  it('never returns a Secret value anywhere in its output', () => {
    const output = JSON.stringify([
      diffResource(
        secret({ stringData: { p: 'plain-secret' } }),
        secret({ data: { p: b64('other-secret') } }),
      ),
      diffResource(secret({ data: { p: b64('plain-secret') } }), undefined),
    ]);
    expect(output).not.toMatch(/plain-secret|other-secret|cGxhaW4tc2VjcmV0|b3RoZXItc2VjcmV0/);
  });

  it('needs one side', () => {
    expect(() => diffResource(undefined, undefined)).toThrow(
      'diffResource needs a desired or a live object',
    );
  });
});

describe('maskSecretValues', () => {
  it('leaves non-Secrets and its inputs alone', () => {
    const input = secret({ data: { a: 'x' } });
    const [masked, other] = maskSecretValues(input, cm('c', { a: 'x' }));
    expect(masked?.data).toEqual({ a: '++++++++' });
    expect(other).toEqual(cm('c', { a: 'x' }));
    expect(input.data).toEqual({ a: 'x' });
  });
});

describe('diffResources', () => {
  it('pairs by ref and reports only extraneous objects tracked by this Application', () => {
    const desired = [
      withTrackingId(cm('b', { k: '1' }), 'web'),
      withTrackingId(cm('a', { k: '1' }), 'web'),
    ];
    const live = [
      withTrackingId(cm('a', { k: '2' }), 'web'),
      withTrackingId(cm('old', { k: '1' }), 'web'),
      withTrackingId(cm('theirs', { k: '1' }), 'other'),
      cm('untracked', { k: '1' }),
    ];
    expect(diffResources(desired, live, 'web').map((d) => [d.ref.name, d.status])).toEqual([
      ['a', 'OutOfSync'],
      ['b', 'Missing'],
      ['old', 'Extraneous'],
    ]);
  });
});
