import { DomainErrorCode } from '../common/domain-error';
import { LabelSelector } from '../labels';
import { ParamSet } from './generator';
import { compilePostSelector } from './post-selector';

const location = { entryPath: 'spec.generators[2]', generatorIndex: 2 };
const sets: ParamSet[] = [
  { name: 'a', url: 'https://kubernetes.default.svc', 'metadata.labels.env': 'prod' },
  { name: 'b', url: 'https://b.example', nested: { tier: 'gold', list: [1000000] } },
  { name: 'c' },
];
const names = (selector: LabelSelector | undefined) =>
  compilePostSelector(selector, 'spec.generators[2].selector', location)(sets).map((s) => s.name);

describe('compilePostSelector', () => {
  it.each<[string, LabelSelector | undefined, string[]]>([
    ['absent keeps all', undefined, ['a', 'b', 'c']],
    [
      'matchLabels on a URL (values are not validated)',
      { matchLabels: { url: 'https://kubernetes.default.svc' } },
      ['a'],
    ],
    ['dotted flat keys', { matchLabels: { 'metadata.labels.env': 'prod' } }, ['a']],
    [
      'nested values are flattened',
      { matchLabels: { 'nested.tier': 'gold', 'nested.list.0': '1e+06' } },
      ['b'],
    ],
    ['In', { matchExpressions: [{ key: 'name', operator: 'In', values: ['a', 'c'] }] }, ['a', 'c']],
    [
      'In drops sets without the key',
      { matchExpressions: [{ key: 'url', operator: 'In', values: ['https://b.example'] }] },
      ['b'],
    ],
    ['matchLabels drops sets without the key', { matchLabels: { 'nested.tier': 'gold' } }, ['b']],
    [
      'NotIn keeps sets without the key',
      { matchExpressions: [{ key: 'url', operator: 'NotIn', values: ['https://b.example'] }] },
      ['a', 'c'],
    ],
    ['Exists', { matchExpressions: [{ key: 'url', operator: 'Exists' }] }, ['a', 'b']],
    ['DoesNotExist', { matchExpressions: [{ key: 'url', operator: 'DoesNotExist' }] }, ['c']],
  ])('%s', (_name, selector, expected) => {
    expect(names(selector)).toEqual(expected);
  });

  it('refuses keys that are not qualified names (path[0])', () => {
    expect(() => names({ matchLabels: { 'path[0]': 'apps' } })).toThrow(
      expect.objectContaining({
        code: DomainErrorCode.Invalid,
        generatorPath: 'spec.generators[2]',
        generatorIndex: 2,
        details: [
          {
            field: "spec.generators[2].selector.matchLabels['path[0]']",
            rule: 'label-key',
            message:
              "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')",
          },
        ],
      }),
    );
  });
});
