import { dnsLabelProblems, objectNameProblems } from './kubernetes-names';
import { syncOptionProblems } from './sync-options';

describe(dnsLabelProblems.name, () => {
  it.each(['a', 'apps', 'team-1', '1abc', 'x'.repeat(63)])('accepts %j', (value) => {
    expect(dnsLabelProblems(value)).toEqual([]);
  });
  it.each(['', 'Apps', 'a.b', '-a', 'a-', 'a_b', 'x'.repeat(64)])('refuses %j', (value) => {
    expect(dnsLabelProblems(value)).not.toEqual([]);
  });
});

describe(objectNameProblems.name, () => {
  it.each(['guestbook', 'guestbook.prod-eu', 'a'.repeat(253)])('accepts %j', (value) => {
    expect(objectNameProblems(value)).toEqual([]);
  });
  it.each(['', 'Guestbook', 'a_b', 'a..b', 'a'.repeat(254)])('refuses %j', (value) => {
    expect(objectNameProblems(value)).not.toEqual([]);
  });
});

describe(syncOptionProblems.name, () => {
  it.each([
    'CreateNamespace=true',
    'CreateNamespace=false',
    'Prune=confirm',
    'Delete=false',
    'PrunePropagationPolicy=orphan',
    'ServerSideApply=true',
    'RespectIgnoreDifferences=true',
  ])('accepts %j', (option) => {
    expect(syncOptionProblems(option, 'o')).toEqual([]);
  });

  it.each<[string, string]>([
    [
      'CreateNamespace=True',
      'CreateNamespace must be one of CreateNamespace=true, CreateNamespace=false; found "CreateNamespace=True" (values are case-sensitive)',
    ],
    ['PruneLast', 'must be PruneLast=<value>'],
    [
      'PrunePropagationPolicy=delete',
      'PrunePropagationPolicy must be one of PrunePropagationPolicy=foreground, PrunePropagationPolicy=background, PrunePropagationPolicy=orphan; found "PrunePropagationPolicy=delete" (values are case-sensitive)',
    ],
    [
      'CreateNameSpace=true',
      expect.stringMatching(
        /^unknown sync option "CreateNameSpace"; known options: ApplyOutOfSyncOnly, /,
      ),
    ],
  ])('refuses %j', (option, message) => {
    expect(syncOptionProblems(option, 'spec.syncPolicy.syncOptions[0]')).toEqual([
      { field: 'spec.syncPolicy.syncOptions[0]', rule: 'sync-option', message },
    ]);
  });

  it('lets a template hold the value, never the option name', () => {
    const templated = { allowTemplatedValue: true };
    expect(syncOptionProblems('Prune={{prune}}', 'o', templated)).toEqual([]);
    expect(syncOptionProblems('{{option}}=true', 'o', templated)).toHaveLength(1);
    expect(syncOptionProblems('Prune={{prune}}', 'o')).toHaveLength(1);
  });
});
