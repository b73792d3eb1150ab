import { MatrixGenerator } from './matrix.generator';
import { Generator as GeneratorEntry } from '../argo/applicationset.types';
import { DomainErrorCode } from '../common/domain-error';
import { ParamSet } from './generator';
import { clusterRecord } from './testing/fixtures';
import { generateParams, rejectionOf } from './testing/generate-params';
import { InMemoryClusterSource, InMemoryGitReader } from './testing/in-memory-ports';

const REPO = 'https://git.example/apps.git';
const ports = {
  clusters: new InMemoryClusterSource([
    clusterRecord('dev-1', { env: 'dev' }),
    clusterRecord('prod-1', { env: 'prod' }),
    clusterRecord('prod-2', { env: 'prod' }),
  ]),
  git: new InMemoryGitReader({
    [REPO]: {
      HEAD: {
        sha: 'sha1',
        files: { 'apps/a/k.yaml': '', 'apps/b/k.yaml': '', 'envs/prod/k.yaml': '' },
      },
    },
  }),
};
const clusterParams = (name: string, env: string): ParamSet => ({
  name,
  nameNormalized: name,
  server: `https://${name}`,
  project: '',
  'metadata.labels.env': env,
});
const list = (...elements: Record<string, unknown>[]) => ({ list: { elements } });

describe(MatrixGenerator.name, () => {
  it.each<[string, GeneratorEntry['matrix'], ParamSet[]]>([
    [
      'the second child is interpolated with each set of the first (selector values too)',
      {
        generators: [
          list({ env: 'prod', tier: 'gold' }, { env: 'staging', tier: 'none' }),
          {
            clusters: {
              selector: { matchLabels: { env: '{{env}}' } },
              values: { tier: '{{tier}}' },
            },
          },
        ],
      },
      [
        { env: 'prod', tier: 'gold', ...clusterParams('prod-1', 'prod'), 'values.tier': 'gold' },
        { env: 'prod', tier: 'gold', ...clusterParams('prod-2', 'prod'), 'values.tier': 'gold' },
      ],
    ],
    [
      "values of the second child resolve the first child's keys first, then its own",
      {
        generators: [
          { clusters: { selector: { matchLabels: { env: 'dev' } } } },
          {
            git: {
              repoURL: REPO,
              directories: [{ path: 'apps/*' }],
              values: { app: '{{name}}/{{path.basename}}' },
            },
          },
        ],
      },
      ['a', 'b'].map((app) => ({
        ...clusterParams('dev-1', 'dev'),
        path: `apps/${app}`,
        'path.basename': app,
        'path.basenameNormalized': app,
        'path[0]': 'apps',
        'path[1]': app,
        'values.app': `dev-1/${app}`,
      })),
    ],
    [
      'git paths interpolated from the first child',
      {
        generators: [
          list({ environment: 'prod' }),
          {
            git: {
              repoURL: REPO,
              directories: [{ path: 'envs/{{environment}}' }],
              pathParamPrefix: 'env',
            },
          },
        ],
      },
      [
        {
          environment: 'prod',
          'env.path': 'envs/prod',
          'env.path.basename': 'prod',
          'env.path.basenameNormalized': 'prod',
          'env.path[0]': 'envs',
          'env.path[1]': 'prod',
        },
      ],
    ],
    [
      'equal values of a shared key combine; non-string values become Go %v strings',
      {
        generators: [
          list({ name: 'x' }),
          { list: { elementsYaml: '- name: x\n  replicas: 3\n  parts: [a, b]\n  big: 1000000\n' } },
        ],
      },
      [{ name: 'x', replicas: '3', parts: '[a b]', big: '1e+06' }],
    ],
    [
      'an empty first child gives no sets',
      { generators: [{ list: { elements: [] } }, list({ a: '1' })] },
      [],
    ],
    [
      'an empty second child gives no sets',
      { generators: [list({ a: '1' }), { list: { elements: [] } }] },
      [],
    ],
    [
      "each child's own post-selector applies (written, not interpolated)",
      {
        generators: [
          { ...list({ env: 'prod' }, { env: 'dev' }), selector: { matchLabels: { env: 'prod' } } },
          {
            ...list({ x: '{{env}}' }, { x: 'other' }),
            selector: {
              matchExpressions: [{ key: 'x', operator: 'In', values: ['{{env}}', 'prod'] }],
            },
          },
        ],
      },
      [{ env: 'prod', x: 'prod' }],
    ],
    [
      'a child post-selector is not interpolated (Argo parses it before interpolating)',
      {
        generators: [
          list({ env: 'prod' }),
          { ...list({ x: '{{env}}' }), selector: { matchLabels: { x: '{{env}}' } } },
        ],
      },
      [],
    ],
    [
      'one nested matrix or merge is allowed',
      {
        generators: [
          list({ a: '1' }, { a: '2' }),
          { matrix: { generators: [list({ b: 'x{{a}}' }), list({ c: '{{b}}-{{a}}' })] } },
        ],
      },
      [
        { a: '1', b: 'x1', c: 'x1-1' },
        { a: '2', b: 'x2', c: 'x2-2' },
      ],
    ],
  ])('%s', async (_name, matrix, expected) => {
    expect((await generateParams({ matrix }, ports)).params).toEqual(expected);
  });

  it.each<[string, GeneratorEntry['matrix'], string]>([
    [
      'one child',
      { generators: [list({ a: '1' })] },
      'spec.generators[0].matrix.generators: found less than two generators, Matrix support only two',
    ],
    [
      'three children',
      { generators: [list({ a: '1' }), list({ b: '1' }), list({ c: '1' })] },
      'spec.generators[0].matrix.generators: found more than two generators, Matrix support only two',
    ],
    [
      'a conflicting key',
      { generators: [list({ name: 'a' }), { clusters: {} }] },
      'spec.generators[0].matrix.generators: found duplicate key name with different value, a: a ,b: dev-1',
    ],
    [
      'two Git children without pathParamPrefix',
      {
        generators: [
          { git: { repoURL: REPO, directories: [{ path: 'apps/a' }] } },
          { git: { repoURL: REPO, directories: [{ path: 'apps/b' }] } },
        ],
      },
      'spec.generators[0].matrix.generators: found duplicate key path with different value, a: apps/a ,b: apps/b',
    ],
    [
      'a child with two generators',
      { generators: [{ ...list({ a: '1' }), clusters: {} }, list({ b: '1' })] },
      'spec.generators[0].matrix.generators[0]: found more than one generator in matrix.Generators',
    ],
    [
      'a child with no generator',
      { generators: [list({ a: '1' }), { selector: {} }] },
      'spec.generators[0].matrix.generators[1]: child generator generated no parameters',
    ],
    [
      'a third level of nesting',
      {
        generators: [
          list({ a: '1' }),
          {
            matrix: {
              generators: [
                list({ b: '1' }),
                { matrix: { generators: [list({ c: '1' }), list({ d: '1' })] } },
              ],
            },
          },
        ],
      },
      'spec.generators[0].matrix.generators[1].matrix.generators[1]: child generator generated no parameters (a matrix or merge may nest one matrix or merge, whose children must be list, clusters or git)',
    ],
    [
      'a selector value the first child cannot resolve',
      {
        generators: [
          list({ env: 'prod' }),
          { clusters: { selector: { matchLabels: { env: '{{path.basename}}' } } } },
        ],
      },
      "spec.generators[0].matrix.generators[1].clusters.selector: error converting label selector: spec.generators[0].matrix.generators[1].clusters.selector.matchLabels.env: a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')",
    ],
    [
      'a selector value interpolated with a slash',
      {
        generators: [
          list({ env: 'a/b' }),
          { clusters: { selector: { matchLabels: { env: '{{env}}' } } } },
        ],
      },
      "spec.generators[0].matrix.generators[1].clusters.selector: error converting label selector: spec.generators[0].matrix.generators[1].clusters.selector.matchLabels.env: a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')",
    ],
    [
      'an unclosed tag in the second child',
      { generators: [list({ env: 'prod' }), list({ x: '{{env}} {{oops' })] },
      'spec.generators[0].matrix.generators[1].list.elements[0].x: unclosed "{{" at offset 8: no "}}" follows it',
    ],
  ])('rejects %s', async (_name, matrix, message) => {
    const error = await rejectionOf(generateParams({ matrix }, ports));
    expect(error).toMatchObject({ code: DomainErrorCode.Invalid, message, generatorIndex: 0 });
  });
});
