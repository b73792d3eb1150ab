import { DocumentParseError, parseParameterDocument } from './parameter-document';

describe('parseParameterDocument', () => {
  it.each<[string, string, unknown]>([
    ['an empty file', '', null],
    ['only a comment', '# nothing\n', null],
    ['null', 'null', null],
    ['an empty list', '[]', []],
    ['JSON indented with tabs', '{\n\t"a": {\n\t\t"b": 1234567\n\t}\n}', { a: { b: 1234567 } }],
    [
      'a YAML map',
      'cluster:\n  name: c1\n  replicas: 3\n',
      { cluster: { name: 'c1', replicas: 3 } },
    ],
    ['a YAML list of maps', '- a: 1\n- b: x\n', [{ a: 1 }, { b: 'x' }]],
    [
      // `y`/`n` are YAML 1.1 booleans even as keys, so `y: n` becomes "true": false, as in Go.
      'YAML 1.1 scalars as goyaml.v2 reads them',
      'a: yes\nb: off\noct: 0777\nhex: 0x1F\nsep: 1_000\nexp: 1e3\nnil: ~\ny: n\n',
      { a: true, b: false, true: false, oct: 511, hex: 31, sep: 1000, exp: 1000, nil: null },
    ],
    [
      'dates and sexagesimals stay strings',
      'd: 2024-01-31\nt: 1:20\n',
      { d: '2024-01-31', t: '1:20' },
    ],
    ['the first of several documents', 'a: 1\n---\nb: 2\n', { a: 1 }],
    [
      'merge keys',
      'base: &b {x: 1}\nc:\n  <<: *b\n  z: 2\n',
      { base: { x: 1 }, c: { x: 1, z: 2 } },
    ],
    ['a scalar (the caller rejects it)', '"just a string"', 'just a string'],
    [
      'big integers as float64, like Go',
      '{"n": 12345678901234567890}',
      { n: 12345678901234567000 },
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseParameterDocument(text)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ['unclosed flow sequence', 'a: 1\nb: [\n', 'invalid YAML at line 3, column 1 (BAD_INDENT)'],
    [
      'self-referencing alias',
      'a: &a [*a]\n',
      'invalid YAML (an alias refers to the node that contains it)',
    ],
    [
      'JSON nested thousands of levels deep',
      `{"a": ${'['.repeat(5000)}${']'.repeat(5000)}}`,
      'it nests deeper than 128 levels of lists and maps',
    ],
    [
      'YAML nested thousands of levels deep',
      `a: 1\nb:\n  ${'- '.repeat(5000)}x\n`,
      'it nests deeper than 128 levels of lists and maps at line 3',
    ],
  ])('rejects %s without echoing content', (_name, text, message) => {
    expect(() => parseParameterDocument(text)).toThrow(DocumentParseError);
    expect(() => parseParameterDocument(text)).toThrow(message);
  });

  it('never puts the content into the error message', () => {
    const secret = 'password: hunter2\n  bad: [';
    let message = '';
    try {
      parseParameterDocument(secret);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^invalid YAML/);
    expect(message).not.toContain('hunter2');
  });
});
