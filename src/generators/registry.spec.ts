import { DomainErrorCode } from '../common/domain-error';
import { GeneratorKind, minRequeue } from './generator';
import { GeneratorRegistry } from './registry';

const registry = new GeneratorRegistry();
const location = { entryPath: 'spec.generators[3]', generatorIndex: 3 };
const git = (requeueAfterSeconds?: number) => ({
  repoURL: 'r',
  directories: [{ path: '*' }],
  requeueAfterSeconds,
});

describe(GeneratorRegistry.name, () => {
  it.each<[string, object, GeneratorKind[]]>([
    ['none', { selector: {} }, []],
    [
      'in Argo field order whatever the key order',
      { merge: {}, list: {}, git: {}, clusters: {}, matrix: {} },
      ['list', 'clusters', 'git', 'matrix', 'merge'],
    ],
    ['null fields are unset', { list: null, clusters: {} }, ['clusters']],
  ])('kindsOf: %s', (_name, entry, expected) => {
    expect(registry.kindsOf(entry, location)).toEqual(expected);
  });

  it.each<[unknown, string]>([
    [
      { scmProvider: {} },
      'spec.generators[3].scmProvider: unknown generator "scmProvider"; Fleetplane supports list, clusters, git, matrix, merge',
    ],
    [
      { list: {}, lists: {} },
      'spec.generators[3].lists: unknown generator "lists"; Fleetplane supports list, clusters, git, matrix, merge',
    ],
    ['list', 'spec.generators[3]: a generator must be a map'],
  ])('kindsOf rejects %j', (entry, message) => {
    expect(() => registry.kindsOf(entry, location)).toThrow(
      expect.objectContaining({ code: DomainErrorCode.Invalid, message, generatorIndex: 3 }),
    );
  });

  it.each<[string, object, number | null]>([
    ['list and clusters: none', { list: {}, clusters: {} }, null],
    ['git default: 3 minutes', { git: git() }, 180],
    ['git explicit', { git: git(30) }, 30],
    ['git 0: none', { git: git(0) }, null],
    [
      'the smallest of several kinds in one entry',
      { git: git(600), list: {}, matrix: { generators: [{ git: git(90) }, { list: {} }] } },
      90,
    ],
    [
      'matrix: smallest non-zero child',
      { matrix: { generators: [{ git: git(0) }, { git: git(120) }] } },
      120,
    ],
    [
      'merge with a nested matrix',
      {
        merge: {
          mergeKeys: ['a'],
          generators: [
            { list: {} },
            { matrix: { generators: [{ clusters: {} }, { git: git() }] } },
          ],
        },
      },
      180,
    ],
  ])('requeueAfterSeconds: %s', (_name, entry, expected) => {
    expect(registry.requeueAfterSeconds(entry)).toBe(expected);
  });
});

describe('minRequeue', () => {
  it.each<[(number | null)[], number | null]>([
    [[], null],
    [[null, 0], null],
    [[180, null, 30], 30],
  ])('%j → %p', (values, expected) => {
    expect(minRequeue(values)).toBe(expected);
  });
});
