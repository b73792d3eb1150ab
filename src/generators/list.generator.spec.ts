import { ListGenerator } from './list.generator';
import { ListGenerator as ListGeneratorSpec } from '../argo/applicationset.types';
import { DomainErrorCode } from '../common/domain-error';
import { ParamSet } from './generator';
import { GenerationError } from './generation-error';
import { generateParams, rejectionOf } from './testing/generate-params';

describe(ListGenerator.name, () => {
  it.each<[string, ListGeneratorSpec, ParamSet[]]>([
    ['no elements', {}, []],
    [
      'string elements, keys kept verbatim (dots included)',
      {
        elements: [{ cluster: 'engineering-dev', url: 'https://1.2.3.4', 'values.redis': 'true' }],
      },
      [{ cluster: 'engineering-dev', url: 'https://1.2.3.4', 'values.redis': 'true' }],
    ],
    [
      '`values` expands to values.<k>',
      { elements: [{ cluster: 'c', values: { a: '1', 'b.c': '2' } }] },
      [{ cluster: 'c', 'values.a': '1', 'values.b.c': '2' }],
    ],
    ['an empty element gives an empty set', { elements: [{}] }, [{}]],
    [
      'elementsYaml items are appended after elements, as parsed (no string check)',
      {
        elements: [{ name: 'first' }],
        elementsYaml:
          '- name: second\n  replicas: 3\n  components: [a, b]\n  values:\n    x: "1"\n- null\n',
      },
      [
        { name: 'first' },
        { name: 'second', replicas: 3, components: ['a', 'b'], values: { x: '1' } },
        {},
      ],
    ],
    ['elementsYaml as JSON', { elementsYaml: '[{"a": "1"}]' }, [{ a: '1' }]],
    ['empty elementsYaml', { elementsYaml: '' }, []],
    ['elementsYaml null document', { elementsYaml: '# none\n' }, []],
  ])('%s', async (_name, list, expected) => {
    expect(await generateParams({ list })).toEqual({ params: expected, warnings: [] });
  });

  it.each<[string, ListGeneratorSpec, string]>([
    [
      'a number in an element',
      { elements: [{ name: 'a', replicas: 3 }] },
      'spec.generators[0].list.elements[0].replicas: error parsing value as string',
    ],
    [
      'a nested map in an element',
      { elements: [{ name: { first: 'a' } }] },
      'spec.generators[0].list.elements[0].name: error parsing value as string',
    ],
    [
      'values that is not a map',
      { elements: [{ values: 'x' }] },
      'spec.generators[0].list.elements[0].values: error parsing values map: must be a map of strings',
    ],
    [
      'a non-string member of values',
      { elements: [{ values: { a: true } }] },
      'spec.generators[0].list.elements[0].values.a: error parsing value as string',
    ],
    [
      'an element that is not a map',
      { elements: ['x' as never] },
      'spec.generators[0].list.elements[0]: must be a map',
    ],
    [
      'elementsYaml that is a map',
      { elementsYaml: 'a: 1' },
      'spec.generators[0].list.elementsYaml: error unmarshling decoded ElementsYaml: expected a list of maps',
    ],
    [
      'elementsYaml with a scalar item',
      { elementsYaml: '- 1' },
      'spec.generators[0].list.elementsYaml: error unmarshling decoded ElementsYaml: item 0 is not a map',
    ],
    [
      'unparseable elementsYaml',
      { elementsYaml: 'a: [' },
      'spec.generators[0].list.elementsYaml: error unmarshling decoded ElementsYaml: invalid YAML at line 1, column 5 (BAD_INDENT)',
    ],
  ])('rejects %s', async (_name, list, message) => {
    const error = await rejectionOf(generateParams({ list }));
    expect(error).toBeInstanceOf(GenerationError);
    expect(error).toMatchObject({
      code: DomainErrorCode.Invalid,
      message,
      generatorPath: 'spec.generators[0]',
      generatorIndex: 0,
    });
  });
});
