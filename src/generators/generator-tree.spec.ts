import { ApplicationSet, Generator as GeneratorEntry } from '../argo/applicationset.types';
import {
  ClusterSelectorUse,
  GitSourceUse,
  clusterChangeMayAffect,
  clusterSelectorsOf,
  gitSourcesOf,
} from './generator-tree';

const appSet = (generators: GeneratorEntry[]): ApplicationSet => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name: 'x' },
  spec: { generators, template: { metadata: {}, spec: { project: 'default', destination: {} } } },
});

const GENERATORS: GeneratorEntry[] = [
  { clusters: { selector: { matchLabels: { env: 'prod' } } } },
  {
    matrix: {
      generators: [
        { clusters: { selector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } } },
        { clusters: { selector: { matchLabels: { region: '{{region}}' } } } },
      ],
    },
  },
  {
    merge: {
      mergeKeys: ['server'],
      generators: [
        { clusters: {} },
        {
          matrix: {
            generators: [
              { git: { repoURL: 'https://git.example/a.git', files: [{ path: '*.json' }] } },
              {
                git: {
                  repoURL: 'https://git.example/{{name}}.git',
                  revision: 'v1',
                  directories: [{ path: '*' }],
                },
              },
            ],
          },
        },
      ],
    },
  },
  {
    git: { repoURL: 'https://git.example/b.git', revision: '{{x}}', directories: [{ path: '*' }] },
  },
];

describe('clusterSelectorsOf', () => {
  it('lists every cluster selector at any depth; interpolated ones are unknown (null)', () => {
    expect(clusterSelectorsOf(appSet(GENERATORS))).toEqual<ClusterSelectorUse[]>([
      {
        specPath: 'spec.generators[0].clusters',
        generatorIndex: 0,
        selector: [{ key: 'env', operator: 'In', values: ['prod'] }],
      },
      {
        specPath: 'spec.generators[1].matrix.generators[0].clusters',
        generatorIndex: 1,
        selector: [{ key: 'tier', operator: 'Exists', values: [] }],
      },
      {
        specPath: 'spec.generators[1].matrix.generators[1].clusters',
        generatorIndex: 1,
        selector: null,
      },
      {
        specPath: 'spec.generators[2].merge.generators[0].clusters',
        generatorIndex: 2,
        selector: [],
      },
    ]);
  });

  it('treats an invalid static selector as unknown', () => {
    expect(
      clusterSelectorsOf(appSet([{ clusters: { selector: { matchLabels: { env: 'a/b' } } } }])),
    ).toEqual([{ specPath: 'spec.generators[0].clusters', generatorIndex: 0, selector: null }]);
  });
});

describe('clusterChangeMayAffect', () => {
  const prodOnly = clusterSelectorsOf(appSet([GENERATORS[0]]));
  const interpolated = clusterSelectorsOf(appSet([GENERATORS[1]]));
  it.each<
    [
      string,
      ClusterSelectorUse[],
      Record<string, string> | null,
      Record<string, string> | null,
      boolean,
    ]
  >([
    ['relabel into the selector', prodOnly, { env: 'dev' }, { env: 'prod' }, true],
    ['relabel out of the selector', prodOnly, { env: 'prod' }, { env: 'dev' }, true],
    ['relabel elsewhere', prodOnly, { env: 'dev' }, { env: 'qa' }, false],
    ['a new matching cluster', prodOnly, null, { env: 'prod' }, true],
    ['a removed non-matching cluster', prodOnly, { env: 'dev' }, null, false],
    ['an interpolated selector may match anything', interpolated, { a: '1' }, { a: '2' }, true],
    ['no cluster generator', [], { env: 'prod' }, { env: 'dev' }, false],
  ])('%s', (_name, uses, before, after, expected) => {
    expect(clusterChangeMayAffect(uses, before, after)).toBe(expected);
  });
});

describe('gitSourcesOf', () => {
  it('lists every Git repository at any depth', () => {
    expect(gitSourcesOf(appSet(GENERATORS))).toEqual<GitSourceUse[]>([
      {
        specPath: 'spec.generators[2].merge.generators[1].matrix.generators[0].git',
        generatorIndex: 2,
        repoURL: 'https://git.example/a.git',
        revision: undefined,
        dependsOnInterpolation: false,
      },
      {
        specPath: 'spec.generators[2].merge.generators[1].matrix.generators[1].git',
        generatorIndex: 2,
        repoURL: 'https://git.example/{{name}}.git',
        revision: 'v1',
        dependsOnInterpolation: true,
      },
      {
        // Not interpolated at top level: the tag is literal (and fails at generation).
        specPath: 'spec.generators[3].git',
        generatorIndex: 3,
        repoURL: 'https://git.example/b.git',
        revision: '{{x}}',
        dependsOnInterpolation: false,
      },
    ]);
  });
});
