import { Application } from '../../../argo/application.types';
import { Comparison } from '../../engine/engine.types';
import { ApplicationSyncStatus } from '../sync-control.types';
import { buildStatus, sameStatus, stampConditions } from './build-status';

const T0 = new Date('2026-06-01T12:00:00Z');
const T1 = new Date('2026-06-01T12:05:00Z');

const app: Application = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'web' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://git.example.com/a.git', path: 'web' },
    destination: { name: 'c1', namespace: 'web' },
  },
};

const comparison: Comparison = {
  revision: 'c2',
  desiredHash: 'h',
  syncStatus: 'OutOfSync',
  message: 'resources: 1 differ from Git',
  health: { status: 'Healthy', message: '' },
  resources: [
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: 'web',
      name: 'web',
      status: 'OutOfSync',
      health: { status: 'Healthy', message: '' },
    },
  ],
  diffs: [],
  wouldPruneEverything: false,
  adopted: [],
};

const comparedTo = {
  source: app.spec.source,
  destination: app.spec.destination,
};

describe(buildStatus.name, () => {
  it('takes sync, health and resources from a comparison', () => {
    expect(buildStatus({ app, previous: {}, comparison, conditions: [], now: T0 })).toEqual({
      sync: {
        status: 'OutOfSync',
        revision: 'c2',
        comparedTo,
        message: 'resources: 1 differ from Git',
      },
      health: { status: 'Healthy' },
      resources: comparison.resources,
      history: [],
      conditions: [],
    });
  });

  it('marks an unreachable cluster Unknown and keeps what was known', () => {
    const previous = buildStatus({ app, previous: {}, comparison, conditions: [], now: T0 });
    const next = buildStatus({
      app,
      previous,
      comparisonError: 'connect ECONNREFUSED',
      clusterUnreachable: true,
      conditions: [{ type: 'ComparisonError', message: 'connect ECONNREFUSED' }],
      now: T1,
    });
    expect(next).toMatchObject({
      sync: { status: 'Unknown', revision: 'c2', message: 'connect ECONNREFUSED' },
      health: { status: 'Unknown', message: 'connect ECONNREFUSED' },
      resources: comparison.resources,
      conditions: [
        {
          type: 'ComparisonError',
          message: 'connect ECONNREFUSED',
          lastTransitionTime: T1.toISOString(),
        },
      ],
    });
  });

  it('keeps the health when only Git or rendering failed', () => {
    const previous = buildStatus({ app, previous: {}, comparison, conditions: [], now: T0 });
    expect(
      buildStatus({ app, previous, comparisonError: 'bad yaml', conditions: [], now: T1 }).health,
    ).toEqual({ status: 'Healthy' });
  });

  it('keeps operation state unless given, the history as it was, and records a pending deletion', () => {
    const previous: Partial<ApplicationSyncStatus> = {
      history: [
        { id: 0, revision: 'c1', deployedAt: T0.toISOString(), initiatedBy: { automated: true } },
      ],
    };
    const next = buildStatus({
      app,
      previous,
      conditions: [],
      deletionRequestedAt: T1.toISOString(),
      now: T1,
    });
    expect(next.history).toEqual(previous.history);
    expect(next.sync).toEqual({ status: 'Unknown', comparedTo });
    expect(next.deletionRequestedAt).toBe(T1.toISOString());
  });
});

describe(stampConditions.name, () => {
  it('keeps the time of an unchanged condition and stamps new ones', () => {
    const previous = stampConditions([], [{ type: 'SyncError', message: 'a' }], T0);
    expect(
      stampConditions(
        previous,
        [
          { type: 'SyncError', message: 'a' },
          { type: 'ComparisonError', message: 'b' },
        ],
        T1,
      ),
    ).toEqual([
      { type: 'SyncError', message: 'a', lastTransitionTime: T0.toISOString() },
      { type: 'ComparisonError', message: 'b', lastTransitionTime: T1.toISOString() },
    ]);
  });
});

describe(sameStatus.name, () => {
  it('ignores key order and notices any change', () => {
    const a = buildStatus({ app, previous: {}, comparison, conditions: [], now: T0 });
    const { conditions, ...rest } = a;
    const reordered = { conditions, ...rest };
    expect(sameStatus(a, reordered)).toBe(true);
    expect(sameStatus(a, { ...a, health: { status: 'Progressing' } })).toBe(false);
    // The same comparison later gives the same status: nothing to write.
    expect(
      sameStatus(a, buildStatus({ app, previous: a, comparison, conditions: [], now: T1 })),
    ).toBe(true);
  });
});
