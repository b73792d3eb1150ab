import { Application } from '../argo/application.types';
import { ApplicationsSyncPolicy } from '../argo/applicationset.types';
import { manifestHash } from '../applications/application-row';
import { Expansion } from '../generators';
import {
  OwnedApplication,
  PreviewInput,
  buildPreview,
  previewDesiredApplications,
} from './applicationset-preview';
import { DesiredApplication } from './reconcile/application-plan';
import { desiredApplications } from './reconcile/desired-applications';

const app = (name: string, revision = 'main'): Application => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name },
  spec: {
    project: 'default',
    source: { repoURL: 'https://git.example/a.git', targetRevision: revision },
    destination: { name: 'c1', namespace: 'apps' },
  },
});

const owned = (application: Application): OwnedApplication => ({
  id: `id-${application.metadata.name}`,
  name: application.metadata.name,
  hash: manifestHash(application),
  manifest: application,
});

function input(
  generated: Application[],
  existing: Application[],
  overrides: Partial<PreviewInput> = {},
): PreviewInput {
  const expansion: Expansion = {
    applications: generated.map((application) => ({
      application,
      params: { name: application.metadata.name },
    })),
    warnings: [],
    requeueAfterSeconds: null,
    gitRevisions: [],
  };
  const desired: DesiredApplication[] = generated.map((application) => ({
    application,
    problems: [],
    hash: manifestHash(application),
  }));
  return {
    expansion,
    documentWarnings: [],
    desired,
    owned: existing.map(owned),
    policy: 'sync' as ApplicationsSyncPolicy,
    budget: { maxShare: 0.5, minCount: 10 },
    approvedDeletions: null,
    ...overrides,
  };
}

describe(buildPreview.name, () => {
  it('lists every Application with its params and problems, and plans against what exists', () => {
    const generated = [app('same'), app('changed', 'v2'), app('new')];
    const desired = input(generated, []).desired.map((d) =>
      d.application.metadata.name === 'new'
        ? { ...d, problems: [{ field: 'metadata.name', rule: 'already-owned', message: 'x' }] }
        : d,
    );
    const preview = buildPreview(
      input(generated, [app('same'), app('changed', 'v1'), app('gone')], { desired }),
    );
    expect(preview.applications.map((a) => [a.metadata.name, a.params, a.problems.length])).toEqual(
      [
        ['same', { name: 'same' }, 0],
        ['changed', { name: 'changed' }, 0],
        ['new', { name: 'new' }, 1],
      ],
    );
    expect(preview.plan).toEqual({
      create: [],
      update: [
        {
          name: 'changed',
          changes: [{ path: 'spec.source.targetRevision', from: 'v1', to: 'v2' }],
        },
      ],
      delete: ['gone'],
      unchanged: 1,
    });
  });

  it.each<[ApplicationsSyncPolicy, object]>([
    ['sync', { create: ['b'], delete: ['a'], unchanged: 0 }],
    ['create-update', { create: ['b'], delete: [], unchanged: 0, keep: ['a'] }],
    ['create-delete', { create: ['b'], delete: ['a'], unchanged: 0 }],
    ['create-only', { create: ['b'], delete: [], unchanged: 0, keep: ['a'] }],
  ])('follows the %s policy', (policy, plan) => {
    expect(buildPreview(input([app('b')], [app('a')], { policy })).plan).toEqual({
      update: [],
      ...plan,
    });
  });

  it('shows deletions the budget would hold back, unless they were approved', () => {
    const existing = Array.from({ length: 30 }, (_, i) => app(`app-${String(i).padStart(2, '0')}`));
    const kept = existing.slice(0, 10);
    const blocked = buildPreview(input(kept, existing));
    expect(blocked.plan.blockedDeletions).toEqual({
      names: existing.slice(10).map((a) => a.metadata.name),
      limit: 15,
    });
    const unlimited = buildPreview(
      input(kept, existing, { budget: { maxShare: 1, minCount: Number.MAX_SAFE_INTEGER } }),
    );
    expect(unlimited.plan.blockedDeletions).toBeUndefined();
    expect(unlimited.plan.delete).toHaveLength(20);
  });

  it('puts document warnings (with their line) before expansion warnings', () => {
    const base = input([app('a')], []);
    const preview = buildPreview({
      ...base,
      documentWarnings: [
        { field: 'spec.template.metadata.namespace', rule: 'ignored', message: 'ignored', line: 9 },
      ],
      expansion: {
        ...base.expansion,
        warnings: [
          { field: 'spec.template.metadata.name', message: 'left as is', generatorIndex: 0 },
        ],
      },
    });
    expect(preview.warnings).toEqual([
      { field: 'spec.template.metadata.namespace', rule: 'ignored', message: 'ignored', line: 9 },
      { field: 'spec.template.metadata.name', message: 'left as is', generatorIndex: 0 },
    ]);
  });
});

describe(previewDesiredApplications.name, () => {
  const clusters = [
    { name: 'c1', server: 'https://c1', project: null, labels: {}, annotations: {} },
  ];
  const generated = [
    app('mine'),
    app('theirs'),
    app('orphan'),
    app('fresh'),
    app('Bad_Name'),
    app('twin'),
    app('twin'),
    app('going'),
  ];
  const ownership = new Map([
    ['mine', { id: 'a1', applicationSetId: 'set-1', deleting: false }],
    ['theirs', { id: 'a2', applicationSetId: 'set-2', deleting: false }],
    ['orphan', { id: 'a3', applicationSetId: null, deleting: false }],
    ['going', { id: 'a4', applicationSetId: 'set-2', deleting: true }],
  ]);

  it.each<[string, string | null]>([
    ['a stored ApplicationSet', 'set-1'],
    ['an ApplicationSet not stored yet', null],
  ])('gives the reconciler’s problems for %s, and its hashes for the names that exist', (_, id) => {
    const ownedNames = new Set(id ? ['mine'] : []);
    const preview = previewDesiredApplications(id, generated, clusters, ownership, ownedNames);
    const reconcile = desiredApplications(id ?? '', generated, clusters, ownership);
    expect(preview.map((d) => d.problems)).toEqual(reconcile.map((d) => d.problems));
    expect(preview.map((d) => d.problems.map((p) => p.rule))).toEqual([
      id ? [] : ['already-owned'],
      ['already-owned'],
      [],
      [],
      ['object-name'],
      ['duplicate-name'],
      ['duplicate-name'],
      ['being-deleted'],
    ]);
    preview.forEach((d, i) => {
      if (ownedNames.has(d.application.metadata.name)) expect(d.hash).toBe(reconcile[i].hash);
      else expect(d.hash).toBe('');
    });
  });
});
