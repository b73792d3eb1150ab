import { desiredStateHash, canonicalJson, contentHash } from './content-hash';
import { KubeObject } from './kube-object';
import { NormalizedManifests, normalizeDesiredObjects } from './normalize-desired';
import { SourcedObject } from './parse-manifests';

const at = (file: string, document = 1) => ({ file, document, line: 1 });
const sourced = (object: KubeObject, file = 'a.yaml', document = 1): SourcedObject => ({
  object,
  origin: at(file, document),
});
const tracking = (value: string) => ({ 'fleetplane.io/tracking-id': value });
const configMap = (metadata: KubeObject['metadata'], file?: string, document?: number) =>
  sourced({ apiVersion: 'v1', kind: 'ConfigMap', metadata }, file, document);

describe('normalizeDesiredObjects', () => {
  it.each<[string, SourcedObject[], string | undefined, NormalizedManifests]>([
    [
      'a namespaced object without namespace goes to the destination',
      [configMap({ name: 'c' })],
      'prod',
      {
        objects: [
          configMap({
            name: 'c',
            namespace: 'prod',
            annotations: tracking('app:/ConfigMap:prod/c'),
          }),
        ],
        problems: [],
      },
    ],
    [
      'an explicit namespace is kept',
      [configMap({ name: 'c', namespace: 'other' })],
      'prod',
      {
        objects: [
          configMap({
            name: 'c',
            namespace: 'other',
            annotations: tracking('app:/ConfigMap:other/c'),
          }),
        ],
        problems: [],
      },
    ],
    [
      "no destination namespace: Kubernetes' default",
      [configMap({ name: 'c' })],
      undefined,
      {
        objects: [
          configMap({
            name: 'c',
            namespace: 'default',
            annotations: tracking('app:/ConfigMap:default/c'),
          }),
        ],
        problems: [],
      },
    ],
    [
      'a cluster-scoped object loses a declared namespace',
      [
        sourced({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: 'r', namespace: 'prod' },
        }),
      ],
      'prod',
      {
        objects: [
          sourced({
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: {
              name: 'r',
              annotations: tracking('app:rbac.authorization.k8s.io/ClusterRole:/r'),
            },
          }),
        ],
        problems: [],
      },
    ],
    [
      'an unknown custom kind counts as namespaced',
      [sourced({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })],
      'prod',
      {
        objects: [
          sourced({
            apiVersion: 'example.com/v1',
            kind: 'Widget',
            metadata: {
              name: 'w',
              namespace: 'prod',
              annotations: tracking('app:example.com/Widget:prod/w'),
            },
          }),
        ],
        problems: [],
      },
    ],
    [
      'the same object twice (once defaulted, once explicit) is an error naming both places',
      [
        configMap({ name: 'c' }, 'a.yaml', 1),
        configMap({ name: 'c', namespace: 'prod' }, 'b.yaml', 3),
      ],
      'prod',
      {
        objects: [],
        problems: [
          {
            ...at('b.yaml', 3),
            field: '',
            rule: 'duplicate',
            message:
              'ConfigMap prod/c is also declared at a.yaml, document 1, line 1; declare each object once',
          },
        ],
      },
    ],
  ])('%s', (_name, input, destinationNamespace, expected) => {
    expect(normalizeDesiredObjects(input, { appName: 'app', destinationNamespace })).toEqual(
      expected,
    );
  });

  it('asks the discovery lookup first', () => {
    const input = [
      sourced({
        apiVersion: 'example.com/v1',
        kind: 'ClusterWidget',
        metadata: { name: 'w', namespace: 'x' },
      }),
    ];
    const result = normalizeDesiredObjects(input, {
      appName: 'app',
      destinationNamespace: 'prod',
      isNamespaced: () => false,
    });
    expect(result.objects[0].object.metadata).toEqual({
      name: 'w',
      annotations: tracking('app:example.com/ClusterWidget:/w'),
    });
  });

  it('does not change its input', () => {
    const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    normalizeDesiredObjects([sourced(object)], { appName: 'app', destinationNamespace: 'prod' });
    expect(object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  });
});

describe('content hash', () => {
  it.each<[unknown, string]>([
    [{ b: 1, a: [3, { d: null, c: 'x' }] }, '{"a":[3,{"c":"x","d":null}],"b":1}'],
    [{ a: undefined, b: [undefined] }, '{"b":[null]}'],
    ['s', '"s"'],
    [null, 'null'],
  ])('canonicalJson(%j)', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('is the sha256 of the canonical JSON', () => {
    expect(contentHash({})).toBe(
      '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    );
  });

  const a: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'a', namespace: 'n' },
    data: { x: '1', y: '2' },
  };
  const b: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { namespace: 'n', name: 'b' },
  };
  it('ignores object order and key order, not content or options', () => {
    const reordered: KubeObject = {
      data: { y: '2', x: '1' },
      metadata: { namespace: 'n', name: 'a' },
      kind: 'ConfigMap',
      apiVersion: 'v1',
    };
    const base = desiredStateHash([a, b], { prune: true });
    expect(desiredStateHash([b, reordered], { prune: true })).toBe(base);
    expect(desiredStateHash([a, b], { prune: false })).not.toBe(base);
    expect(desiredStateHash([a, { ...b, data: {} }], { prune: true })).not.toBe(base);
  });
});
