import { KubeObject, ObjectRef, refOf } from '../manifests/kube-object';
import { withTrackingId } from '../manifests/tracking';
import { ManagedNamespaceInput, managedNamespaceObject } from './managed-namespace';
import { planSync } from './sync-plan';

const cm = (name: string, annotations?: Record<string, string>): KubeObject =>
  withTrackingId(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'app', ...(annotations ? { annotations } : {}) },
    },
    'web',
  );
const ref = (kind: string, name: string, namespace = 'app'): ObjectRef => ({
  group: '',
  version: 'v1',
  kind,
  namespace,
  name,
});
const summary = (steps: ReturnType<typeof planSync>['steps']) =>
  steps.map((s) => ({
    step: `${s.phase}/${s.wave}`,
    prune: s.prune.map((r) => r.name),
    apply: s.apply.map((t) => t.ref.name),
  }));

describe('planSync', () => {
  const base = { appName: 'web', appOptions: {}, prune: true, allowEmpty: false };

  it('interleaves deletions into the Sync waves: deletions first within a wave', () => {
    const plan = planSync({
      ...base,
      desired: [cm('keep'), cm('later', { 'argocd.argoproj.io/sync-wave': '2' })],
      previous: [
        { ref: ref('ConfigMap', 'keep'), wave: 0 },
        { ref: ref('ConfigMap', 'old-0'), wave: 0 },
        { ref: ref('ConfigMap', 'old-2'), wave: 2 },
      ],
    });
    expect(summary(plan.steps)).toEqual([
      { step: 'Sync/0', prune: ['old-2'], apply: ['keep'] },
      { step: 'Sync/2', prune: ['old-0'], apply: ['later'] },
    ]);
    expect(plan.inventory).toEqual([
      { ref: ref('ConfigMap', 'keep'), wave: 0 },
      { ref: ref('ConfigMap', 'later'), wave: 2 },
    ]);
    expect(plan.problems).toEqual([]);
  });

  it('puts the managed namespace first', () => {
    const namespace: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'app' },
    };
    const plan = planSync({
      ...base,
      desired: [
        cm('a'),
        withTrackingId(
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              name: 'pre',
              namespace: 'app',
              annotations: {
                'argocd.argoproj.io/hook': 'PreSync',
                'argocd.argoproj.io/sync-wave': '-3',
              },
            },
          },
          'web',
        ),
      ],
      previous: [],
      managedNamespace: namespace,
    });
    expect(summary(plan.steps)).toEqual([
      { step: 'PreSync/-3', prune: [], apply: ['app', 'pre'] },
      { step: 'Sync/0', prune: [], apply: ['a'] },
    ]);
    expect(plan.inventory.map((e) => e.ref.name)).toEqual(['a']);
  });

  it('returns no steps when an annotation is invalid, naming the object', () => {
    const plan = planSync({
      ...base,
      desired: [cm('a', { 'argocd.argoproj.io/sync-options': 'Prune=nope' })],
      previous: [],
    });
    expect(plan.steps).toEqual([]);
    expect(plan.problems).toEqual([
      {
        field: "ConfigMap app/a: metadata.annotations['argocd.argoproj.io/sync-options']",
        rule: 'sync-option-value',
        message: 'Prune must be written Prune=true or Prune=false or Prune=confirm',
      },
    ]);
  });

  it('returns no steps when the wipe-out guard refuses', () => {
    const plan = planSync({
      ...base,
      desired: [],
      previous: [{ ref: ref('ConfigMap', 'a'), wave: 0 }],
    });
    expect(plan.steps).toEqual([]);
    expect(plan.prune.refusal).toMatch(/wipe out all resources/);
  });
});

describe('managedNamespaceObject', () => {
  const input: ManagedNamespaceInput = {
    destinationNamespace: 'app',
    createNamespace: true,
    desired: [],
  };
  const tracked = withTrackingId(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
    'platform',
  );
  const untracked: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } };
  const metadata = { labels: { team: 'a' }, annotations: { owner: 'x' } };
  it.each<[string, ManagedNamespaceInput, KubeObject | undefined]>([
    ['CreateNamespace off', { ...input, createNamespace: false }, undefined],
    ['no destination namespace', { ...input, destinationNamespace: '' }, undefined],
    [
      'missing: created',
      { ...input, live: null },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
    ],
    [
      'not looked up: applied',
      input,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
    ],
    [
      'missing, with metadata',
      { ...input, live: null, managedNamespaceMetadata: metadata },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app', ...metadata } },
    ],
    ['exists, no metadata: nothing to do', { ...input, live: untracked }, undefined],
    [
      'exists, with metadata: labels applied',
      { ...input, live: untracked, managedNamespaceMetadata: metadata },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app', ...metadata } },
    ],
    [
      'exists and managed by an Application: untouched',
      { ...input, live: tracked, managedNamespaceMetadata: metadata },
      undefined,
    ],
    ['declared in the manifests: they manage it', { ...input, desired: [untracked] }, undefined],
  ])('%s', (_name, given, expected) => {
    expect(managedNamespaceObject(given)).toEqual(expected);
  });

  it('is never tracked, so never pruned', () => {
    const ns = managedNamespaceObject({ ...input, live: null });
    expect(ns && refOf(ns)).toEqual({
      group: '',
      version: 'v1',
      kind: 'Namespace',
      namespace: '',
      name: 'app',
    });
    expect(ns?.metadata.annotations).toBeUndefined();
  });
});
