import {
  Requirement,
  SelectorSyntaxError,
  formatSelector,
  matches,
  parseSelector,
  selectorFromLabelSelector,
} from './label-selector';

const prodEu = { env: 'prod', region: 'eu', gpu: 'true' };
const devUs = { env: 'dev', region: 'us' };
const bare = {};

describe('parseSelector', () => {
  it.each<[string, Requirement[]]>([
    ['', []],
    ['   ', []],
    ['env=prod', [{ key: 'env', operator: 'In', values: ['prod'] }]],
    ['env==prod', [{ key: 'env', operator: 'In', values: ['prod'] }]],
    ['env!=dev', [{ key: 'env', operator: 'NotIn', values: ['dev'] }]],
    ['env=', [{ key: 'env', operator: 'In', values: [''] }]],
    ['region in (eu,us)', [{ key: 'region', operator: 'In', values: ['eu', 'us'] }]],
    ['region in ( us , eu )', [{ key: 'region', operator: 'In', values: ['eu', 'us'] }]],
    ['tier notin (x)', [{ key: 'tier', operator: 'NotIn', values: ['x'] }]],
    ['gpu', [{ key: 'gpu', operator: 'Exists', values: [] }]],
    ['!legacy', [{ key: 'legacy', operator: 'DoesNotExist', values: [] }]],
    ['! legacy', [{ key: 'legacy', operator: 'DoesNotExist', values: [] }]],
    ['size>3', [{ key: 'size', operator: 'Gt', values: ['3'] }]],
    ['size<10', [{ key: 'size', operator: 'Lt', values: ['10'] }]],
    ['a in (x,)', [{ key: 'a', operator: 'In', values: ['', 'x'] }]],
    [
      'topology.kubernetes.io/region=eu-west-1',
      [{ key: 'topology.kubernetes.io/region', operator: 'In', values: ['eu-west-1'] }],
    ],
    [
      'env=prod, region in (eu,us),gpu,!legacy',
      [
        { key: 'env', operator: 'In', values: ['prod'] },
        { key: 'region', operator: 'In', values: ['eu', 'us'] },
        { key: 'gpu', operator: 'Exists', values: [] },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
      ],
    ],
  ])('parses %j', (input, expected) => {
    expect(parseSelector(input)).toEqual(expected);
  });

  it('treats `in` as a keyword where a key is expected, as the API server does', () => {
    expect(() => parseSelector('in=notin')).toThrow(SelectorSyntaxError);
  });

  it.each<[string, number, RegExp]>([
    ['env=prod,', 9, /requirement after ','/],
    [',env', 0, /'!' or a label key/],
    ['env prod', 4, /'=', '==', '!='/],
    ['region in eu', 10, /expected: '\('/],
    ['region in ()', 7, /cannot be empty/],
    ['region in (eu us)', 14, /',' or '\)'/],
    ['env=prod=x', 8, /',' or end of string/],
    ['!', 1, /label key after '!'/],
    ['-bad=1', 0, /invalid label key '-bad'/],
    ['a/b/c=1', 0, /invalid label key/],
    ['env=-x-', 4, /invalid label value '-x-'/],
    ['size>big', 5, /integer/],
    [`env=${'x'.repeat(64)}`, 4, /no more than 63 characters/],
  ])('rejects %j at position %d', (input, position, message) => {
    let error: unknown;
    try {
      parseSelector(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SelectorSyntaxError);
    expect((error as SelectorSyntaxError).position).toBe(position);
    expect((error as SelectorSyntaxError).message).toMatch(message);
  });

  it('round-trips through formatSelector', () => {
    const text = 'env=prod,env!=dev,region in (eu,us),tier notin (a,b),gpu,!legacy,size>3,size<9';
    const parsed = parseSelector(text);
    expect(parseSelector(formatSelector(parsed))).toEqual(parsed);
  });
});

describe('matches', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['', bare, true],
    ['env=prod', prodEu, true],
    ['env=prod', devUs, false],
    ['env=prod', bare, false],
    ['env!=dev', prodEu, true],
    ['env!=dev', devUs, false],
    ['env!=dev', bare, true], // absent label satisfies !=
    ['region in (eu,us)', prodEu, true],
    ['region in (eu,us)', devUs, true],
    ['region in (eu,us)', bare, false],
    ['region notin (eu)', prodEu, false],
    ['region notin (eu)', devUs, true],
    ['region notin (eu)', bare, true], // absent label satisfies notin
    ['gpu', prodEu, true],
    ['gpu', devUs, false],
    ['!gpu', prodEu, false],
    ['!gpu', bare, true],
    ['env=', { env: '' }, true],
    ['env=', bare, false],
    ['env', { env: '' }, true],
    ['env=prod,region=eu', prodEu, true],
    ['env=prod,region=us', prodEu, false],
    ['size>3', { size: '4' }, true],
    ['size>3', { size: '3' }, false],
    ['size>3', { size: 'x' }, false],
    ['size>3', bare, false],
    ['size<3', { size: '-1' }, true],
    ['constructor', bare, false], // prototype keys are not labels
    ['!toString', bare, true],
  ])('%j on %j is %s', (selector, labels, expected) => {
    expect(matches(parseSelector(selector), labels)).toBe(expected);
  });
});

describe('selectorFromLabelSelector', () => {
  it('ANDs matchLabels and matchExpressions with every operator', () => {
    const { selector, problems } = selectorFromLabelSelector(
      {
        matchLabels: { env: 'prod' },
        matchExpressions: [
          { key: 'region', operator: 'In', values: ['eu', 'us'] },
          { key: 'tier', operator: 'NotIn', values: ['x'] },
          { key: 'gpu', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist', values: [] },
        ],
      },
      'selector',
    );
    expect(problems).toEqual([]);
    expect(matches(selector, prodEu)).toBe(true);
    expect(matches(selector, { ...prodEu, legacy: 'yes' })).toBe(false);
    expect(matches(selector, { ...prodEu, tier: 'x' })).toBe(false);
    expect(matches(selector, { env: 'prod', region: 'eu' })).toBe(false);
  });

  it('treats null and {} as "select everything"', () => {
    expect(selectorFromLabelSelector(null, 's')).toEqual({ selector: [], problems: [] });
    expect(selectorFromLabelSelector({}, 's')).toEqual({ selector: [], problems: [] });
  });

  it.each<[unknown, string, string]>([
    [
      { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
      's.matchExpressions[0].operator',
      'enum',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'in', values: ['1'] }] },
      's.matchExpressions[0].operator',
      'enum',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      's.matchExpressions[0].values',
      'required',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] },
      's.matchExpressions[0].values',
      'required',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      's.matchExpressions[0].values',
      'forbidden',
    ],
    [{ matchExpressions: [{ operator: 'Exists' }] }, 's.matchExpressions[0].key', 'required'],
    [
      { matchExpressions: [{ key: 'a', operator: 'In', values: ['a/b'] }] },
      's.matchExpressions[0].values[0]',
      'label-value',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'In', values: ['{{path.basename}}'] }] },
      's.matchExpressions[0].values[0]',
      'label-value',
    ],
    [{ matchLabels: { 'bad key': 'x' } }, "s.matchLabels['bad key']", 'label-key'],
    [{ matchLabels: { env: 'a/b' } }, 's.matchLabels.env', 'label-value'],
    [{ matchLabels: { env: 1 } }, 's.matchLabels.env', 'type'],
    [{ matchLabel: { env: 'x' } }, 's.matchLabel', 'unknown-field'],
    ['env=prod', 's', 'type'],
  ])('reports %j at %s (%s)', (input, field, rule) => {
    const { selector, problems } = selectorFromLabelSelector(input, 's');
    expect(selector).toEqual([]);
    expect(problems).toContainEqual(expect.objectContaining({ field, rule }));
  });

  it('accepts any value when values are not validated (post-selectors)', () => {
    const { selector, problems } = selectorFromLabelSelector(
      { matchLabels: { server: 'https://kubernetes.default.svc' } },
      's',
      { validateValues: false },
    );
    expect(problems).toEqual([]);
    expect(matches(selector, { server: 'https://kubernetes.default.svc' })).toBe(true);
  });
});
