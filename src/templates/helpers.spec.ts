import { HelperArgumentError, callHelper, isEmptyValue, toGoJson } from './helpers';
import { OutputHelperName } from './helper-syntax';

describe('callHelper', () => {
  it.each<[OutputHelperName, unknown[], unknown]>([
    ['normalize', ['Prod_EU/1'], 'prod-eu-1'],
    ['lower', ['MiXeD'], 'mixed'],
    ['upper', ['MiXeD'], 'MIXED'],
    ['default', ['fallback', ''], 'fallback'],
    ['default', ['fallback', undefined], 'fallback'],
    ['default', ['fallback', 'given'], 'given'],
    ['default', ['fallback', []], 'fallback'],
    ['default', ['fallback', 0], 'fallback'],
    ['replace', ['_', '-', 'a_b_c'], 'a-b-c'],
    ['replace', ['', '-', 'ab'], '-a-b-'],
    ['trunc', [3, 'abcdef'], 'abc'],
    ['trunc', [-2, 'abcdef'], 'ef'],
    ['trunc', [10, 'abc'], 'abc'],
    ['trunc', [-10, 'abc'], 'abc'],
    ['trunc', [2, 'äöü'], 'äö'],
    ['toJson', [{ b: 1, a: ['x', null] }], '{"a":["x",null],"b":1}'],
    ['toJson', ['<a&b>'], '"\\u003ca\\u0026b\\u003e"'],
    ['toJson', [undefined], 'null'],
    ['quote', ['a', 'b "c"'], '"a" "b \\"c\\""'],
    ['quote', ['a', null, 1000000], '"a" "1e+06"'],
    ['join', [',', ['a', 1, null, true]], 'a,1,true'],
    ['join', ['-', 'single'], 'single'],
    ['join', ['-', null], ''],
  ])('%s %j → %j', (helper, args, expected) => {
    expect(callHelper(helper, args)).toEqual(expected);
  });

  it.each<[OutputHelperName, unknown[], string]>([
    ['lower', [5], 'lower: argument 1 must be a string, got number 5'],
    ['normalize', [{ a: 1 }], 'normalize: argument 1 must be a string, got a map'],
    ['trunc', ['3', 'abc'], 'trunc: argument 1 must be an integer, got a string'],
    ['trunc', [1.5, 'abc'], 'trunc: argument 1 must be an integer, got number 1.5'],
    ['replace', ['a', 'b', null], 'replace: argument 3 must be a string, got null'],
    ['join', [['x'], ['a']], 'join: argument 1 must be a string, got a list'],
  ])('%s %j throws', (helper, args, message) => {
    expect(() => callHelper(helper, args)).toThrow(HelperArgumentError);
    expect(() => callHelper(helper, args)).toThrow(message);
  });
});

describe('isEmptyValue', () => {
  it.each<[unknown, boolean]>([
    [undefined, true],
    [null, true],
    ['', true],
    [0, true],
    [false, true],
    [[], true],
    [{}, true],
    [' ', false],
    [1, false],
    [true, false],
    [[0], false],
    [{ a: 1 }, false],
  ])('%j → %p', (value, expected) => {
    expect(isEmptyValue(value)).toBe(expected);
  });
});

describe('toGoJson', () => {
  it('escapes U+2028 and U+2029 as Go does', () => {
    expect(toGoJson('a\u2028b\u2029')).toBe('"a\\u2028b\\u2029"');
  });
});
