import { DomainError, DomainErrorCode } from '../../common/domain-error';
import { SyncPolicy } from '../../argo/application.types';
import { appendEntries, appendHistory, isAutomatedSyncEnabled, rollbackTarget } from './history';
import { HistoryEntry } from './status.types';

const entry = (id: number, revision = `r${id}`): HistoryEntry => ({
  id,
  revision,
  deployedAt: `2026-01-0${(id % 9) + 1}T00:00:00Z`,
  initiatedBy: { automated: true },
});
const withoutId = ({ id: _id, ...rest }: HistoryEntry) => rest;

describe('appendHistory', () => {
  it.each<[string, HistoryEntry[], number | undefined, number[]]>([
    ['the first entry gets id 0', [], undefined, [0]],
    ['ids continue from the last one', [entry(4), entry(5)], undefined, [4, 5, 6]],
    [
      'the default limit keeps 10',
      Array.from({ length: 10 }, (_, i) => entry(i)),
      undefined,
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ],
    ['revisionHistoryLimit 2', [entry(0), entry(1), entry(2)], 2, [2, 3]],
    ['revisionHistoryLimit 0 keeps nothing', [entry(0)], 0, []],
    ['a negative limit means the default', [entry(0)], -1, [0, 1]],
  ])('%s', (_name, history, limit, ids) => {
    const next = appendHistory(history, withoutId(entry(99, 'new')), limit);
    expect(next.map((e) => e.id)).toEqual(ids);
    if (ids.length > 0)
      expect(next[next.length - 1]).toEqual({
        ...withoutId(entry(99, 'new')),
        id: ids[ids.length - 1],
      });
  });
});

describe('appendEntries (what the status batch does in SQL)', () => {
  it('adds each entry as appendHistory would, and nothing without an append', () => {
    const history = [entry(4), entry(5)];
    expect(appendEntries(history, undefined)).toEqual(history);
    expect(
      appendEntries(history, {
        entries: [withoutId(entry(0, 'x')), withoutId(entry(0, 'y'))],
        limit: 3,
      }),
    ).toEqual([
      entry(5),
      { ...entry(6, 'x'), deployedAt: entry(0).deployedAt },
      { ...entry(7, 'y'), deployedAt: entry(0).deployedAt },
    ]);
  });
});

describe('rollbackTarget', () => {
  const history = [entry(3), entry(4), entry(5)];
  it.each<[string, number | undefined, HistoryEntry]>([
    ['id omitted: the previous deployment', undefined, entry(4)],
    ['by id', 3, entry(3)],
    ['the current one by id', 5, entry(5)],
  ])('%s', (_name, id, expected) => {
    expect(rollbackTarget({}, history, id)).toEqual(expected);
  });

  it.each<[string, SyncPolicy | undefined, HistoryEntry[], number | undefined, DomainError]>([
    [
      'refused while auto-sync is on',
      { automated: { prune: true } },
      history,
      3,
      new DomainError(
        DomainErrorCode.Conflict,
        'rollback cannot be initiated when auto-sync is enabled; disable spec.syncPolicy.automated first',
      ),
    ],
    ['an unknown id', undefined, history, 9, DomainError.notFound('history entry', '9')],
    [
      'nothing before the current deployment',
      undefined,
      [entry(0)],
      undefined,
      DomainError.invalid(
        [
          {
            field: 'id',
            rule: 'previous-deployment',
            message: 'there is no previous deployment to roll back to',
          },
        ],
        'there is no previous deployment to roll back to',
      ),
    ],
  ])('%s', (_name, policy, given, id, expected) => {
    let error: unknown;
    try {
      rollbackTarget(policy, given, id);
    } catch (e) {
      error = e;
    }
    expect(error).toEqual(expected);
    expect((error as DomainError).code).toBe(expected.code);
  });
});

describe('isAutomatedSyncEnabled', () => {
  it.each<[SyncPolicy | undefined, boolean]>([
    [undefined, false],
    [{}, false],
    [{ automated: {} }, true],
    [{ automated: { enabled: false } }, false],
    [{ automated: { enabled: true, selfHeal: true } }, true],
  ])('%j → %s', (policy, expected) => {
    expect(isAutomatedSyncEnabled(policy)).toBe(expected);
  });
});
