import { Application } from '../../argo/application.types';
import { ApplicationSetSpec } from '../../argo/applicationset.types';
import { keepLiveValues, liveValueRules } from './live-values';

const app = (
  name: string,
  revision: string,
  labels: Record<string, string> = {},
  annotations?: Record<string, string>,
): Application =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, labels, ...(annotations && { annotations }) },
    spec: {
      project: 'default',
      sources: [
        { repoURL: 'https://git.example.com/a.git', targetRevision: revision, path: 'a' },
        { repoURL: 'https://git.example.com/b.git', targetRevision: 'main', path: 'b' },
      ],
      destination: { name: 'c1', namespace: 'ns' },
    },
  }) as unknown as Application;

const rules = (spec: Partial<ApplicationSetSpec>) => liveValueRules(spec as ApplicationSetSpec)!;

describe(keepLiveValues.name, () => {
  it('keeps an ignored field inside a list while the rest of the list changes', () => {
    const desired = app('web', 'v2');
    (desired.spec.sources as { path: string }[])[1].path = 'b2';
    const result = keepLiveValues(
      desired,
      app('web', 'v1'),
      rules({
        ignoreApplicationDifferences: [{ jsonPointers: ['/spec/sources/0/targetRevision'] }],
      }),
    );
    expect(result.spec.sources).toEqual([
      expect.objectContaining({ targetRevision: 'v1', path: 'a' }),
      expect.objectContaining({ path: 'b2' }),
    ]);
    // The input is not modified.
    expect((desired.spec.sources as { targetRevision: string }[])[0].targetRevision).toBe('v2');
  });

  it('keeps what a jq path selects as the live one has it, finding list items by their fields', () => {
    const desired = app('web', 'v2');
    desired.spec.sources!.reverse();
    const live = app('web', 'v1');
    (live.spec as { syncPolicy?: unknown }).syncPolicy = { automated: { prune: true } };
    (desired.spec as { syncPolicy?: unknown }).syncPolicy = { automated: {} };
    const result = keepLiveValues(
      desired,
      live,
      rules({
        ignoreApplicationDifferences: [
          {
            jqPathExpressions: [
              '.spec.sources[] | select(.repoURL | endswith("/a.git")) | .targetRevision',
              '.spec.syncPolicy.automated.prune',
            ],
          },
        ],
      }),
    );
    // The generated order stays; the live revision lands on the same source, wherever it sits.
    expect(result.spec.sources).toEqual([
      expect.objectContaining({ path: 'b', targetRevision: 'main' }),
      expect.objectContaining({ path: 'a', targetRevision: 'v1' }),
    ]);
    expect(result.spec.syncPolicy).toEqual({ automated: { prune: true } });
  });

  it('applies a named rule to that Application only', () => {
    const spec = rules({
      ignoreApplicationDifferences: [
        { name: 'pinned', jsonPointers: ['/spec/sources/0/targetRevision'] },
      ],
    });
    expect(
      (
        keepLiveValues(app('pinned', 'v2'), app('pinned', 'v1'), spec).spec.sources as {
          targetRevision: string;
        }[]
      )[0].targetRevision,
    ).toBe('v1');
    const other = app('other', 'v2');
    expect(keepLiveValues(other, app('other', 'v1'), spec)).toBe(other);
  });

  it('keeps preserved labels and annotations, adding and removing as the live one has them', () => {
    const result = keepLiveValues(
      app('web', 'v1', { team: 'new', env: 'prod' }),
      app('web', 'v1', { owner: 'alice' }, { 'notes.example.com/ticket': 'OPS-1' }),
      rules({
        preservedFields: { labels: ['owner', 'team'], annotations: ['notes.example.com/ticket'] },
      }),
    );
    expect(result.metadata.labels).toEqual({ owner: 'alice', env: 'prod' });
    expect(result.metadata.annotations).toEqual({ 'notes.example.com/ticket': 'OPS-1' });
  });

  it('leaves paths alone that neither side has', () => {
    const desired = app('web', 'v1');
    const result = keepLiveValues(
      desired,
      app('web', 'v1'),
      rules({ ignoreApplicationDifferences: [{ jsonPointers: ['/spec/syncPolicy/automated'] }] }),
    );
    expect(result).toEqual(desired);
  });
});

describe(liveValueRules.name, () => {
  it('is null without rules, so nothing live is read', () => {
    expect(liveValueRules({} as ApplicationSetSpec)).toBeNull();
    expect(
      liveValueRules({ ignoreApplicationDifferences: [{ name: 'x' }] } as ApplicationSetSpec),
    ).toBeNull();
  });
});
