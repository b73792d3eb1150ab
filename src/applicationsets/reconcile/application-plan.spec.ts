import { Application } from '../../argo/application.types';
import { ApplicationsSyncPolicy } from '../../argo/applicationset.types';
import {
  DEFAULT_DELETION_BUDGET,
  DesiredApplication,
  ExistingApplication,
  deletionFingerprint,
  planApplications,
} from './application-plan';

const app = (name: string, hash = `h-${name}`, problems: string[] = []): DesiredApplication => ({
  application: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: { project: 'default', destination: { name: 'c' } },
  } as Application,
  hash,
  problems: problems.map((rule) => ({ field: 'metadata.name', rule, message: rule })),
});
const existing = (name: string, hash = `h-${name}`): ExistingApplication => ({
  id: `id-${name}`,
  name,
  hash,
});
const names = (
  list: readonly { name?: string; application?: Application; desired?: DesiredApplication }[],
) =>
  list.map((x) => x.name ?? x.application?.metadata.name ?? x.desired?.application.metadata.name);

function plan(
  policy: ApplicationsSyncPolicy,
  desired: DesiredApplication[],
  current: ExistingApplication[],
  approved: string | null = null,
) {
  return planApplications({
    desired,
    existing: current,
    policy,
    budget: DEFAULT_DELETION_BUDGET,
    approvedDeletions: approved,
  });
}

describe(planApplications.name, () => {
  const desired = [app('b'), app('a', 'new-hash'), app('d')];
  const current = [existing('a'), existing('b'), existing('c')];

  it.each<[ApplicationsSyncPolicy, string[], string[], string[], string[]]>([
    // policy, create, update, delete, keep
    ['sync', ['d'], ['a'], ['c'], []],
    ['create-update', ['d'], ['a'], [], ['c']],
    ['create-delete', ['d'], [], ['c'], []],
    ['create-only', ['d'], [], [], ['c']],
  ])(
    'under %s creates %j, updates %j, deletes %j, keeps %j',
    (policy, create, update, del, keep) => {
      const result = plan(policy, desired, current);
      expect([
        names(result.create),
        names(result.update),
        names(result.delete),
        names(result.keep),
      ]).toEqual([create, update, del, keep]);
      expect(result.blockedDeletions).toBeNull();
    },
  );

  it('counts unchanged Applications and writes nothing for them', () => {
    const result = plan('sync', [app('a'), app('b')], [existing('a'), existing('b')]);
    expect(result).toMatchObject({ create: [], update: [], delete: [], unchanged: 2 });
  });

  it('skips Applications with problems but does not delete an existing one of that name', () => {
    // Two generated with the same name: both carry the duplicate problem (semantics §3).
    const result = plan(
      'sync',
      [app('dup', 'x', ['duplicate-name']), app('dup', 'y', ['duplicate-name']), app('ok')],
      [existing('dup'), existing('gone')],
    );
    expect(names(result.skipped)).toEqual(['dup', 'dup']);
    expect(names(result.create)).toEqual(['ok']);
    expect(names(result.update)).toEqual([]);
    expect(names(result.delete)).toEqual(['gone']);
  });

  describe('deletion budget (50 %, at least 10)', () => {
    const owned = (n: number) =>
      Array.from({ length: n }, (_, i) => existing(`app-${String(i).padStart(3, '0')}`));

    it('lets up to 10 go whatever the share', () => {
      const result = plan('sync', [], owned(10));
      expect(result.delete).toHaveLength(10);
      expect(result.blockedDeletions).toBeNull();
    });

    it('holds back more than half of a large set', () => {
      const all = owned(30);
      const keepFourteen = all.slice(0, 14).map((e) => app(e.name));
      const result = plan('sync', keepFourteen, all);
      expect(result.blockedDeletions).toEqual({
        names: all.slice(14).map((e) => e.name),
        limit: 15,
        fingerprint: deletionFingerprint(all.slice(14).map((e) => e.name)),
      });
    });

    it('allows exactly half', () => {
      const all = owned(30);
      expect(
        plan(
          'sync',
          all.slice(0, 15).map((e) => app(e.name)),
          all,
        ).blockedDeletions,
      ).toBeNull();
    });

    it('releases exactly the approved set, not another', () => {
      const all = owned(30);
      const blocked = plan('sync', [], all).blockedDeletions!;
      expect(plan('sync', [], all, blocked.fingerprint).blockedDeletions).toBeNull();
      expect(
        plan('sync', [app('app-000')], all, blocked.fingerprint).blockedDeletions,
      ).not.toBeNull();
    });

    it('does not apply when the policy keeps Applications', () => {
      expect(plan('create-update', [], owned(30)).blockedDeletions).toBeNull();
    });
  });
});
