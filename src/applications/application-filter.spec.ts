import { DomainError } from '../common/domain-error';
import { applicationFilterSql, parseApplicationFilter } from './application-filter';

describe(parseApplicationFilter.name, () => {
  it('reads every filter', () => {
    expect(
      parseApplicationFilter({
        applicationset: 'guestbook',
        cluster: 'eu-1',
        project: 'default',
        selector: 'env=prod',
        limit: '10',
      }),
    ).toEqual({
      applicationSet: 'guestbook',
      cluster: 'eu-1',
      project: 'default',
      selector: [{ key: 'env', operator: 'In', values: ['prod'] }],
    });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a repeated filter', { cluster: ['a', 'b'] }, 'cluster', 'type'],
    ['a misspelt filter', { applicationSet: 'x' }, 'applicationSet', 'unknown-parameter'],
    ['an overlong value', { project: 'p'.repeat(254) }, 'project', 'max-length'],
    ['a bad selector', { selector: 'env in (' }, 'selector', 'label-selector'],
    ['an unknown sync status', { sync: 'synced' }, 'sync', 'enum'],
    ['an unknown health status', { health: 'Broken' }, 'health', 'enum'],
  ])('refuses %s with a 400 naming it', (_what, query, field, rule) => {
    let thrown: unknown;
    try {
      parseApplicationFilter(query);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).code).toBe('BadRequest');
    expect((thrown as DomainError).details).toContainEqual(
      expect.objectContaining({ field, rule }),
    );
  });
});

describe('sync and health filters', () => {
  it('are read and become clauses on the status', () => {
    const filter = parseApplicationFilter({ sync: 'OutOfSync', health: 'Degraded' });
    expect(filter).toEqual({ sync: 'OutOfSync', health: 'Degraded', selector: [] });
    expect(applicationFilterSql(filter, 1)).toEqual({
      clause:
        "coalesce(a.status->'sync'->>'status', 'Unknown') = $1 AND coalesce(a.status->'health'->>'status', 'Unknown') = $2",
      params: ['OutOfSync', 'Degraded'],
    });
  });
});

describe(applicationFilterSql.name, () => {
  it('is TRUE without filters', () => {
    expect(applicationFilterSql({ selector: [] }, 3)).toEqual({ clause: 'TRUE', params: [] });
  });

  it('numbers placeholders from the first one given, labels last', () => {
    expect(
      applicationFilterSql(
        {
          applicationSet: 'a',
          project: 'p',
          selector: [{ key: 'env', operator: 'Exists', values: [] }],
        },
        3,
      ),
    ).toEqual({
      clause: 's.name = $3 AND a.project = $4 AND a.labels ? $5',
      params: ['a', 'p', 'env'],
    });
  });
});
