import { MergeGenerator } from './merge.generator';
import { Generator as GeneratorEntry } from '../argo/applicationset.types';
import { DomainErrorCode } from '../common/domain-error';
import { ParamSet } from './generator';
import { clusterRecord } from './testing/fixtures';
import { generateParams, rejectionOf } from './testing/generate-params';
import { InMemoryClusterSource } from './testing/in-memory-ports';

const list = (...elements: Record<string, unknown>[]) => ({ list: { elements } });
const yaml = (text: string) => ({ list: { elementsYaml: text } });
const ports = {
  clusters: new InMemoryClusterSource([clusterRecord('a', { env: 'prod' }), clusterRecord('b')]),
};

describe(MergeGenerator.name, () => {
  it.each<[string, GeneratorEntry['merge'], ParamSet[]]>([
    [
      'later children overlay matching base sets; unmatched later sets are dropped',
      {
        mergeKeys: ['server'],
        generators: [
          { clusters: { values: { kafka: 'true', redis: 'false' } } },
          { clusters: { selector: { matchLabels: { env: 'prod' } }, values: { kafka: 'false' } } },
          list(
            { server: 'https://b', 'values.redis': 'true' },
            { server: 'https://unknown', 'values.redis': 'x' },
          ),
        ],
      },
      [
        {
          name: 'a',
          nameNormalized: 'a',
          server: 'https://a',
          project: '',
          'metadata.labels.env': 'prod',
          'values.kafka': 'false',
          'values.redis': 'false',
        },
        {
          name: 'b',
          nameNormalized: 'b',
          server: 'https://b',
          project: '',
          'values.kafka': 'true',
          'values.redis': 'true',
        },
      ],
    ],
    [
      'several merge keys, de-duplicated; base order kept',
      {
        mergeKeys: ['b', 'a', 'b'],
        generators: [
          list({ a: '1', b: 'x' }, { a: '1', b: 'y' }),
          list({ a: '1', b: 'y', c: 'hit' }),
        ],
      },
      [
        { a: '1', b: 'x' },
        { a: '1', b: 'y', c: 'hit' },
      ],
    ],
    [
      'a missing merge key counts as null',
      { mergeKeys: ['k'], generators: [list({ other: '1' }), list({ extra: 'yes' })] },
      [{ other: '1', extra: 'yes' }],
    ],
    [
      'overlaid sets are stringified; unmatched base sets keep their values',
      {
        mergeKeys: ['id'],
        generators: [
          yaml('- {id: a, num: 1}\n- {id: b, num: 2}\n'),
          yaml('- {id: a, m: 1000000}\n'),
        ],
      },
      [
        { id: 'a', num: '1', m: '1e+06' },
        { id: 'b', num: 2 },
      ],
    ],
  ])('%s', async (_name, merge, expected) => {
    expect((await generateParams({ merge }, ports)).params).toEqual(expected);
  });

  it.each<[string, GeneratorEntry['merge'], string]>([
    [
      'one child',
      { mergeKeys: ['a'], generators: [list({ a: '1' })] },
      'spec.generators[0].merge.generators: found less than two generators, Merge requires two or more',
    ],
    [
      'no merge keys',
      { mergeKeys: [], generators: [list({ a: '1' }), list({ a: '1' })] },
      'spec.generators[0].merge.mergeKeys: no merge keys were specified, Merge requires at least one',
    ],
    [
      'a collision in the base',
      {
        mergeKeys: ['a'],
        generators: [list({ a: '1', x: '1' }, { a: '1', x: '2' }), list({ a: '1' })],
      },
      'spec.generators[0].merge.generators[0]: the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was {"a":"1"}',
    ],
    [
      'a collision in a later child (two sets lacking the key collide)',
      { mergeKeys: ['b', 'a'], generators: [list({ a: '1' }), list({ x: '1' }, { y: '2' })] },
      'spec.generators[0].merge.generators[1]: the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was {"a":null,"b":null}',
    ],
  ])('rejects %s', async (_name, merge, message) => {
    const error = await rejectionOf(generateParams({ merge }, ports));
    expect(error).toMatchObject({ code: DomainErrorCode.Invalid, message, generatorIndex: 0 });
  });
});
