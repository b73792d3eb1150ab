import { ClusterGenerator } from './cluster.generator';
import { ClusterGenerator as ClusterGeneratorSpec } from '../argo/applicationset.types';
import { DomainErrorCode } from '../common/domain-error';
import { ParamSet } from './generator';
import { ExpansionWarning } from './generation-run';
import { ClusterRecord } from './ports';
import { clusterRecord } from './testing/fixtures';
import { generateParams, rejectionOf } from './testing/generate-params';
import { InMemoryClusterSource } from './testing/in-memory-ports';

const cluster = clusterRecord;

const prod = cluster('prod-eu', { env: 'prod', region: 'eu' });
const staging = cluster('staging', { env: 'staging' });
const bare = cluster('bare');
const CLUSTERS = [staging, prod, bare];

/** Names of the clusters a selector picks (params are pinned in the next table). */
async function namesFor(spec: ClusterGeneratorSpec): Promise<string[]> {
  const { params } = await generateParams(
    { clusters: spec },
    { clusters: new InMemoryClusterSource(CLUSTERS) },
  );
  return params.map((p) => p.name as string);
}

describe(ClusterGenerator.name, () => {
  it.each<[string, ClusterGeneratorSpec, string[]]>([
    ['no selector: every cluster, by name', {}, ['bare', 'prod-eu', 'staging']],
    ['empty selector', { selector: {} }, ['bare', 'prod-eu', 'staging']],
    ['matchLabels', { selector: { matchLabels: { env: 'prod' } } }, ['prod-eu']],
    ['matchLabels with an absent label', { selector: { matchLabels: { tier: 'x' } } }, []],
    [
      'In',
      {
        selector: {
          matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }],
        },
      },
      ['prod-eu', 'staging'],
    ],
    [
      'In, label absent',
      { selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['x'] }] } },
      [],
    ],
    [
      'NotIn keeps clusters without the label',
      { selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } },
      ['bare', 'staging'],
    ],
    [
      'Exists',
      { selector: { matchExpressions: [{ key: 'region', operator: 'Exists' }] } },
      ['prod-eu'],
    ],
    [
      'DoesNotExist',
      { selector: { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] } },
      ['bare'],
    ],
    [
      'requirements are ANDed',
      {
        selector: {
          matchLabels: { env: 'prod' },
          matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['eu'] }],
        },
      },
      [],
    ],
  ])('%s', async (_name, spec, expected) => {
    expect(await namesFor(spec)).toEqual(expected);
  });

  it.each<[string, ClusterRecord[], ClusterGeneratorSpec, ParamSet[], ExpansionWarning[]]>([
    [
      "Argo's parameters, labels and annotations in key order, project empty when unset",
      [
        cluster(
          'Production_01/West',
          { 'topology.kubernetes.io/zone': 'eu-1a', env: 'prod' },
          { project: null, annotations: { 'owner/team': 'core' } },
        ),
      ],
      {},
      [
        {
          name: 'Production_01/West',
          nameNormalized: 'production-01-west',
          server: 'https://Production_01/West',
          project: '',
          'metadata.labels.env': 'prod',
          'metadata.labels.topology.kubernetes.io/zone': 'eu-1a',
          'metadata.annotations.owner/team': 'core',
        },
      ],
      [],
    ],
    [
      'values rendered against the cluster own params; values cannot reference values',
      [cluster('c1', { env: 'prod' }, { project: 'team-a' })],
      {
        values: {
          revision: '{{metadata.labels.env}}-{{ project }}',
          chained: '{{values.revision}}',
          name: 'v-{{name}}',
          missing: '{{metadata.labels.tier}}',
        },
      },
      [
        {
          name: 'c1',
          nameNormalized: 'c1',
          server: 'https://c1',
          project: 'team-a',
          'metadata.labels.env': 'prod',
          'values.revision': 'prod-team-a',
          'values.chained': '{{values.revision}}',
          'values.name': 'v-c1',
          'values.missing': '{{metadata.labels.tier}}',
        },
      ],
      [
        {
          generatorIndex: 0,
          field: 'spec.generators[0].clusters.values.chained',
          message: '{{values.revision}} left as is: no parameter named "values.revision"',
        },
        {
          generatorIndex: 0,
          field: 'spec.generators[0].clusters.values.missing',
          message: '{{metadata.labels.tier}} left as is: no parameter named "metadata.labels.tier"',
        },
      ],
    ],
    [
      'two clusters with one name collapse (the later listed wins)',
      [
        cluster('dup', {}, { server: 'https://first' }),
        cluster('dup', {}, { server: 'https://second' }),
      ],
      {},
      [{ name: 'dup', nameNormalized: 'dup', server: 'https://second', project: '' }],
      [],
    ],
    [
      'byte-wise name order',
      [cluster('b'), cluster('B'), cluster('a-x'), cluster('a')],
      {},
      ['B', 'a', 'a-x', 'b'].map((name) => ({
        name,
        nameNormalized: name.toLowerCase(),
        server: `https://${name}`,
        project: '',
      })),
      [],
    ],
    [
      'flatList: one set holding every cluster',
      [cluster('c2'), cluster('c1', { env: 'x' })],
      { flatList: true, values: { v: '{{name}}' } },
      [
        {
          clusters: [
            {
              name: 'c1',
              nameNormalized: 'c1',
              server: 'https://c1',
              project: '',
              'metadata.labels.env': 'x',
              'values.v': 'c1',
            },
            {
              name: 'c2',
              nameNormalized: 'c2',
              server: 'https://c2',
              project: '',
              'values.v': 'c2',
            },
          ],
        },
      ],
      [],
    ],
    ['flatList with no match', [], { flatList: true }, [{ clusters: [] }], []],
  ])('%s', async (_name, clusters, spec, params, warnings) => {
    const result = await generateParams(
      { clusters: spec },
      { clusters: new InMemoryClusterSource(clusters) },
    );
    expect(result).toEqual({ params, warnings });
  });

  it.each<[string, ClusterGeneratorSpec, string]>([
    [
      'an unresolved tag in a selector value',
      { selector: { matchLabels: { env: '{{path.basename}}' } } },
      "spec.generators[0].clusters.selector: error converting label selector: spec.generators[0].clusters.selector.matchLabels.env: a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')",
    ],
    [
      'an unknown operator',
      { selector: { matchExpressions: [{ key: 'env', operator: 'Gt', values: ['1'] }] } },
      'spec.generators[0].clusters.selector: error converting label selector: spec.generators[0].clusters.selector.matchExpressions[0].operator: "Gt" is not a valid selector operator; use In, NotIn, Exists or DoesNotExist',
    ],
    [
      'In without values',
      { selector: { matchExpressions: [{ key: 'env', operator: 'In', values: [] }] } },
      'spec.generators[0].clusters.selector: error converting label selector: spec.generators[0].clusters.selector.matchExpressions[0].values: must be non-empty when operator is In',
    ],
  ])('rejects %s', async (_name, spec, message) => {
    const error = await rejectionOf(
      generateParams({ clusters: spec }, { clusters: new InMemoryClusterSource(CLUSTERS) }),
    );
    expect(error).toMatchObject({ code: DomainErrorCode.Invalid, message, generatorIndex: 0 });
  });

  it('fails, not returns nothing, when the registry cannot be read', async () => {
    const source = new InMemoryClusterSource([], new Error('connection refused'));
    const error = await rejectionOf(generateParams({ clusters: {} }, { clusters: source }));
    expect(error).toMatchObject({
      code: DomainErrorCode.Upstream,
      message:
        'spec.generators[0].clusters: unable to list the registered clusters: connection refused',
      generatorPath: 'spec.generators[0]',
      generatorIndex: 0,
    });
  });
});
