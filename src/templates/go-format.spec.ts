import { formatGoFloat, formatGoValue } from './go-format';

describe('formatGoFloat', () => {
  // Expected strings are what Go's fmt.Sprintf("%v", float64(x)) prints.
  it.each<[number, string]>([
    [0, '0'],
    [-0, '-0'],
    [1, '1'],
    [123, '123'],
    [-42, '-42'],
    [1.5, '1.5'],
    [123456, '123456'],
    [999999, '999999'],
    [1000000, '1e+06'],
    [1234567, '1.234567e+06'],
    [1.2345678901234567e19, '1.2345678901234567e+19'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [0.000123, '0.000123'],
    [1e21, '1e+21'],
    [1.5e300, '1.5e+300'],
    [5e-324, '5e-324'],
    [0.1, '0.1'],
    [100.25, '100.25'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%p prints as %s', (value, expected) => {
    expect(formatGoFloat(value)).toBe(expected);
  });
});

describe('formatGoValue', () => {
  it.each<[unknown, string]>([
    ['text', 'text'],
    ['', ''],
    [true, 'true'],
    [false, 'false'],
    [null, '<nil>'],
    [undefined, '<nil>'],
    [1234567, '1.234567e+06'],
    [[1, 'a', null], '[1 a <nil>]'],
    [[], '[]'],
    [{ b: 2, a: [1, 2], c: { d: 'x' } }, 'map[a:[1 2] b:2 c:map[d:x]]'],
    [{}, 'map[]'],
  ])('%j prints as %s', (value, expected) => {
    expect(formatGoValue(value)).toBe(expected);
  });
});
