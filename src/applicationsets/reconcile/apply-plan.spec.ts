import { Application } from '../../argo/application.types';
import { ApplicationRow } from '../../applications/application.model';
import { DEFAULT_DELETION_BUDGET, DesiredApplication, planApplications } from './application-plan';
import { changesOf, plannedWrites } from './apply-plan';
import { BEING_DELETED, desiredApplications } from './desired-applications';

const app = (name: string): Application =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/a.git', path: name },
      destination: { name: 'c1', namespace: 'ns' },
    },
  }) as Application;
const desired = (name: string, hash = `h-${name}`): DesiredApplication => ({
  application: app(name),
  problems: [],
  hash,
});
const rowOf = (d: DesiredApplication) => ({ name: d.application.metadata.name }) as ApplicationRow;

describe(plannedWrites.name, () => {
  const plan = (policy: 'sync' | 'create-only', budget = DEFAULT_DELETION_BUDGET) =>
    planApplications({
      desired: [desired('new'), desired('orphan'), desired('changed', 'h2')],
      existing: [
        { id: 'id-changed', name: 'changed', hash: 'h1' },
        { id: 'id-gone', name: 'gone', hash: 'h' },
      ],
      policy,
      budget,
      approvedDeletions: null,
    });

  it('creates, adopts orphans of the same name, updates and deletes', () => {
    const writes = plannedWrites(plan('sync'), new Map([['orphan', 'id-orphan']]), false, rowOf);
    expect(writes).toEqual({
      inserts: [{ name: 'new' }],
      updates: [
        { id: 'id-changed', row: { name: 'changed' } },
        { id: 'id-orphan', row: { name: 'orphan' } },
      ],
      deletes: ['id-gone'],
      orphans: [],
    });
    expect(changesOf(writes)).toEqual({ created: 1, updated: 2, deleted: 1, orphaned: 0 });
  });

  it('releases the Applications a create-only policy keeps when the ApplicationSet goes', () => {
    const writes = plannedWrites(plan('create-only'), new Map(), true, rowOf);
    expect(writes.deletes).toEqual([]);
    expect(writes.orphans).toEqual(['id-gone']);
  });

  it('writes nothing at all when the deletion budget holds the plan back', () => {
    const writes = plannedWrites(
      plan('sync', { maxShare: 0, minCount: 0 }),
      new Map(),
      false,
      rowOf,
    );
    expect(changesOf(writes)).toEqual({ created: 0, updated: 0, deleted: 0, orphaned: 0 });
  });
});

describe(desiredApplications.name, () => {
  it('marks a name owned by another ApplicationSet, and accepts own names and orphans', () => {
    const result = desiredApplications(
      'me',
      [app('mine'), app('theirs'), app('orphan')],
      [{ name: 'c1', server: 'https://c1', project: null, labels: {}, annotations: {} }],
      new Map([
        ['mine', { id: '1', applicationSetId: 'me' }],
        ['theirs', { id: '2', applicationSetId: 'other' }],
        ['orphan', { id: '3', applicationSetId: null }],
      ]),
    );
    expect(result.map((d) => d.problems.map((p) => p.rule))).toEqual([[], ['already-owned'], []]);
  });

  it('holds back a name whose old Application the sync engine is still deleting', () => {
    // Released from its ApplicationSet while its resources are pruned: not an orphan to adopt.
    const [result] = desiredApplications(
      'me',
      [app('again')],
      [{ name: 'c1', server: 'https://c1', project: null, labels: {}, annotations: {} }],
      new Map([['again', { id: '1', applicationSetId: null, deleting: true }]]),
    );
    expect(result.problems).toEqual([
      expect.objectContaining({ field: 'metadata.name', rule: BEING_DELETED }),
    ]);
  });
});
