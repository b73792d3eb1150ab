import { jsonSyntaxErrorOffset, lineOfOffset } from './json-syntax';

describe('jsonSyntaxErrorOffset', () => {
  it.each<[string, number | undefined]>([
    ['{}', undefined],
    [' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]} ', undefined],
    ['', 0],
    ['{', 1],
    ['{"a" 1}', 5],
    ['{"a": }', 6],
    ['{"a": 1,}', 8],
    ['[1 2]', 3],
    ['{a: 1}', 1],
    ['"unterminated', 13],
    ['{"a": 01}', 7],
    ['{} x', 3],
    ['"tab\there"', 4],
    ['"a\\qb"', 3],
    ['"\\u12G4"', 2],
    ['"\\u00e9\\n"', undefined],
  ])('%j fails at %s', (text, expected) => {
    expect(jsonSyntaxErrorOffset(text)).toBe(expected);
  });
});

describe('lineOfOffset', () => {
  it.each([
    [0, 1],
    [2, 1],
    [3, 2],
    [7, 3],
    [99, 3],
  ])('offset %d is on line %d', (offset, line) => {
    expect(lineOfOffset('ab\ncde\nf', offset)).toBe(line);
  });
});
