import { ResourceRegistry } from '../api/resource-registry';
import { ResourceType } from '../api/resource-type';
import { KubeObject } from '../api/kube-object';
import { omitEmpty } from './omit-empty';

describe(omitEmpty.name, () => {
  const registry = new ResourceRegistry();
  const type = (apiVersion: string, kind: string) => {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return registry.byKind(group, version, kind) as ResourceType;
  };
  const custom = { ...type('v1', 'ConfigMap'), custom: true } as ResourceType;

  const cases: [string, KubeObject, ResourceType, KubeObject][] = [
    [
      'drops empty metadata maps and lists',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', annotations: {}, labels: {}, finalizers: [], ownerReferences: [] },
        data: { k: 'v' },
      },
      type('v1', 'ConfigMap'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } },
    ],
    [
      'drops empty omitempty fields of built-in kinds at any depth',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: {
          template: {
            metadata: { labels: {} },
            spec: { containers: [{ name: 'c', env: [], resources: {} }], volumes: [] },
          },
        },
      },
      type('apps/v1', 'Deployment'),
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', resources: {} }] } } },
      },
    ],
    [
      'keeps lists Go does not omit (containers) and non-empty values',
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', labels: { a: 'b' } },
        spec: { containers: [] },
      },
      type('v1', 'Pod'),
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', labels: { a: 'b' } },
        spec: { containers: [] },
      },
    ],
    [
      'keeps the body of a custom resource as sent, pruning only its metadata',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: {} }, data: {} },
      custom,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {} },
    ],
  ];

  it.each(cases)('%s', (_name, input, resourceType, expected) => {
    const frozen = JSON.stringify(input);
    expect(omitEmpty(input, resourceType)).toEqual(expected);
    expect(JSON.stringify(input)).toBe(frozen);
  });

  it('returns the same object when nothing is empty (no copy)', () => {
    const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    expect(omitEmpty(object, type('v1', 'ConfigMap'))).toBe(object);
  });
});
