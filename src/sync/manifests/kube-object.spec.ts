import {
  KubeObject,
  ObjectRef,
  annotationList,
  compareRefs,
  formatRef,
  parseApiVersion,
  refKey,
  refOf,
} from './kube-object';
import {
  hookTypesOf,
  ignoresExtraneous,
  ignoresHealthCheck,
  isHook,
  isSkipped,
} from './annotations';
import { builtinIsNamespaced, resolveNamespaced } from './builtin-kinds';

const ref = (
  group: string,
  kind: string,
  namespace: string,
  name: string,
  version = 'v1',
): ObjectRef => ({
  group,
  version,
  kind,
  namespace,
  name,
});

function withAnnotations(annotations: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', annotations } };
}

describe('parseApiVersion', () => {
  it.each([
    ['v1', { group: '', version: 'v1' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['rbac.authorization.k8s.io/v1', { group: 'rbac.authorization.k8s.io', version: 'v1' }],
  ])('splits %s', (apiVersion, expected) => {
    expect(parseApiVersion(apiVersion)).toEqual(expected);
  });
});

describe('refOf / refKey / formatRef', () => {
  it.each<[KubeObject, ObjectRef, string, string]>([
    [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod' } },
      ref('apps', 'Deployment', 'prod', 'web'),
      'apps/Deployment/prod/web',
      'Deployment apps prod/web',
    ],
    [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'prod' } },
      ref('', 'ConfigMap', 'prod', 'settings'),
      '/ConfigMap/prod/settings',
      'ConfigMap prod/settings',
    ],
    [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'reader' },
      },
      ref('rbac.authorization.k8s.io', 'ClusterRole', '', 'reader'),
      'rbac.authorization.k8s.io/ClusterRole//reader',
      'ClusterRole rbac.authorization.k8s.io reader',
    ],
  ])('identifies %j', (obj, expectedRef, expectedKey, expectedText) => {
    expect(refOf(obj)).toEqual(expectedRef);
    expect(refKey(refOf(obj))).toBe(expectedKey);
    expect(formatRef(refOf(obj))).toBe(expectedText);
  });

  it('leaves the version out of the key: one object served at two versions is one object', () => {
    expect(refKey(ref('apps', 'Deployment', 'a', 'b', 'v1'))).toBe(
      refKey(ref('apps', 'Deployment', 'a', 'b', 'v1beta2')),
    );
  });
});

describe('compareRefs', () => {
  it('orders by group, kind, namespace, name', () => {
    const refs = [
      ref('apps', 'Deployment', 'b', 'x'),
      ref('', 'Service', 'a', 'z'),
      ref('apps', 'Deployment', 'a', 'y'),
      ref('', 'ConfigMap', 'a', 'z'),
      ref('apps', 'Deployment', 'a', 'B'),
    ];
    expect([...refs].sort(compareRefs)).toEqual([
      ref('', 'ConfigMap', 'a', 'z'),
      ref('', 'Service', 'a', 'z'),
      ref('apps', 'Deployment', 'a', 'B'),
      ref('apps', 'Deployment', 'a', 'y'),
      ref('apps', 'Deployment', 'b', 'x'),
    ]);
  });
});

describe('annotation readers', () => {
  it.each<[Record<string, string>, string[]]>([
    [{}, []],
    [{ 'argocd.argoproj.io/sync-options': 'Prune=false' }, ['Prune=false']],
    [
      { 'argocd.argoproj.io/sync-options': ' Prune=false , ,Validate=false ' },
      ['Prune=false', 'Validate=false'],
    ],
  ])('annotationList splits and trims %j', (annotations, expected) => {
    expect(annotationList(withAnnotations(annotations), 'argocd.argoproj.io/sync-options')).toEqual(
      expected,
    );
  });

  it.each<[Record<string, string>, { types: string[]; hook: boolean; skipped: boolean }]>([
    [{}, { types: [], hook: false, skipped: false }],
    [{ 'argocd.argoproj.io/hook': 'PreSync' }, { types: ['PreSync'], hook: true, skipped: false }],
    [
      { 'argocd.argoproj.io/hook': 'PreSync,PostSync' },
      { types: ['PreSync', 'PostSync'], hook: true, skipped: false },
    ],
    [{ 'argocd.argoproj.io/hook': 'Skip' }, { types: ['Skip'], hook: false, skipped: true }],
    [{ 'argocd.argoproj.io/hook': 'Bogus' }, { types: [], hook: true, skipped: false }],
    [
      { 'helm.sh/hook': 'pre-install,pre-upgrade' },
      { types: ['PreSync'], hook: true, skipped: false },
    ],
    [{ 'helm.sh/hook': 'post-upgrade' }, { types: ['PostSync'], hook: true, skipped: false }],
    [{ 'helm.sh/hook': 'test' }, { types: [], hook: false, skipped: false }],
    [
      { 'argocd.argoproj.io/hook': 'Sync', 'helm.sh/hook': 'pre-install' },
      { types: ['Sync'], hook: true, skipped: false },
    ],
  ])('reads hooks from %j', (annotations, expected) => {
    const obj = withAnnotations(annotations);
    expect({ types: hookTypesOf(obj), hook: isHook(obj), skipped: isSkipped(obj) }).toEqual(
      expected,
    );
  });

  it.each<[Record<string, string>, { health: boolean; extraneous: boolean }]>([
    [{}, { health: false, extraneous: false }],
    [{ 'argocd.argoproj.io/ignore-healthcheck': 'true' }, { health: true, extraneous: false }],
    [{ 'argocd.argoproj.io/ignore-healthcheck': 'yes' }, { health: false, extraneous: false }],
    [
      { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' },
      { health: false, extraneous: true },
    ],
  ])('reads opt-outs from %j', (annotations, expected) => {
    const obj = withAnnotations(annotations);
    expect({ health: ignoresHealthCheck(obj), extraneous: ignoresExtraneous(obj) }).toEqual(
      expected,
    );
  });
});

describe('namespaced lookup', () => {
  it.each<[string, string, boolean | undefined, boolean]>([
    ['', 'ConfigMap', undefined, true],
    ['', 'Namespace', undefined, false],
    ['rbac.authorization.k8s.io', 'ClusterRole', undefined, false],
    ['rbac.authorization.k8s.io', 'Role', undefined, true],
    ['example.com', 'Widget', undefined, true],
    ['example.com', 'ClusterWidget', false, false],
    ['', 'ConfigMap', false, false],
  ])('%s/%s with lookup answer %s is namespaced: %s', (group, kind, lookupAnswer, expected) => {
    expect(resolveNamespaced(ref(group, kind, '', 'x'), () => lookupAnswer)).toBe(expected);
  });

  it('knows only built-in kinds', () => {
    expect(builtinIsNamespaced({ group: 'example.com', kind: 'Widget' })).toBeUndefined();
  });
});
