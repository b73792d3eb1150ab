import { DocumentProblem } from './document-problem';
import { TextFormat, readDocuments } from './read-documents';
import { DEFAULT_READ_LIMITS, ReadLimits } from './source-document';

function read(text: string, format: TextFormat = 'auto', limits: Partial<ReadLimits> = {}) {
  const result = readDocuments(text, format, { ...DEFAULT_READ_LIMITS, ...limits });
  return {
    documents: result.documents.map(({ index, value, line, valueProblems }) => ({
      index,
      value,
      line,
      valueProblems,
    })),
    problems: result.problems,
  };
}

const TAG_HINT =
  'only the YAML 1.2 core tags (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq) are accepted';

describe(readDocuments.name, () => {
  it('reads every non-empty document of a YAML stream, keeping stream indexes and lines', () => {
    expect(read('---\n---\n# only a comment\n---\n~\n---\na: 1\n---\nb: [x]\n')).toEqual({
      documents: [
        { index: 3, value: { a: 1 }, line: 7, valueProblems: [] },
        { index: 4, value: { b: ['x'] }, line: 9, valueProblems: [] },
      ],
      problems: [],
    });
  });

  it('accepts anchors, aliases and merge keys within the alias limit, as kubectl does', () => {
    expect(read('base: &b {x: 1}\nk:\n  <<: *b\n  y: 2\n').documents).toEqual([
      { index: 0, value: { base: { x: 1 }, k: { x: 1, y: 2 } }, line: 1, valueProblems: [] },
    ]);
  });

  it.each<[string, string, Partial<DocumentProblem>]>([
    ['unclosed flow sequence', 'a: 1\nb: [\n', { rule: 'syntax', line: 3, column: 1 }],
    ['unterminated quote', 'x: "open\n', { rule: 'syntax', line: 2, column: 1 }],
    ['tab indentation', 'a:\n\tb: 1\n', { rule: 'syntax', line: 2, column: 1 }],
    [
      'duplicate key',
      'a: 1\nb:\n  c: 1\n  c: 2\n',
      {
        field: 'b.c',
        rule: 'duplicate-key',
        message: 'duplicate key "c": map keys must be unique',
        line: 4,
        column: 3,
      },
    ],
    [
      'custom tag',
      'a: !foo x\n',
      { rule: 'yaml-tag', message: `Unresolved tag: !foo; ${TAG_HINT}`, line: 1, column: 4 },
    ],
    [
      'YAML 1.1 binary tag',
      'a: !!binary aGk=\n',
      {
        rule: 'yaml-tag',
        message: `Unresolved tag: tag:yaml.org,2002:binary; ${TAG_HINT}`,
        line: 1,
        column: 4,
      },
    ],
    [
      'collection as a key',
      '? [a]\n: 1\n',
      {
        rule: 'yaml-complex-key',
        message: 'a mapping key must be a string, not a list or a mapping',
        line: 1,
        column: 3,
      },
    ],
    [
      'alias bomb',
      'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      {
        rule: 'yaml-alias-limit',
        message:
          'aliases expand to too many nodes (more than 100); this is how "billion laughs" documents exhaust memory',
        line: 1,
        column: 1,
      },
    ],
    [
      'pathological nesting',
      `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      {
        rule: 'nesting-limit',
        message: 'the text nests deeper than 128 levels of lists and maps',
        line: 1,
        column: 132,
      },
    ],
  ])('refuses %s with its position', (_, text, expected) => {
    const { documents, problems } = read(text);
    expect(documents).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ field: '', documentIndex: 0, ...expected }),
    ]);
  });

  it('reports a broken document without losing the others', () => {
    const { documents, problems } = read('a: 1\n---\nb: [\n---\nc: 3\n');
    expect(documents.map((d) => d.value)).toEqual([{ a: 1 }, { c: 3 }]);
    expect(problems).toEqual([expect.objectContaining({ rule: 'syntax', documentIndex: 1 })]);
  });

  it('flags unquoted values that YAML 1.1 (Kubernetes, Argo CD) reads differently', () => {
    const [document] = read('a: yes\nb: "yes"\nc: [On, 0755]\nd: 0\nno: 1\n').documents;
    expect(document.value).toEqual({ a: 'yes', b: 'yes', c: ['On', 755], d: 0, no: 1 });
    expect(
      document.valueProblems.map(({ field, rule, line, column }) => ({
        field,
        rule,
        line,
        column,
      })),
    ).toEqual([
      { field: 'a', rule: 'yaml-1.1-ambiguous', line: 1, column: 4 },
      { field: 'c[0]', rule: 'yaml-1.1-ambiguous', line: 3, column: 5 },
      { field: 'c[1]', rule: 'yaml-1.1-ambiguous', line: 3, column: 9 },
    ]);
  });

  describe('limits', () => {
    it('refuses an oversized text before parsing it', () => {
      expect(read(`a: ${'x'.repeat(100)}\n`, 'auto', { maxTextBytes: 50 }).problems).toEqual([
        {
          field: '',
          rule: 'size-limit',
          message: 'the text is 104 bytes; at most 50 are accepted',
          line: 1,
          column: 1,
        },
      ]);
    });

    it('refuses a flood of document markers before parsing it', () => {
      expect(read('---\n'.repeat(20), 'yaml', { maxDocuments: 10 }).problems).toEqual([
        expect.objectContaining({
          rule: 'size-limit',
          message: 'the text holds about 21 documents; at most 10 are accepted',
        }),
      ]);
    });

    it('refuses an oversized document but keeps the others', () => {
      const result = read(`a: 1\n---\nb: ${'x'.repeat(100)}\n`, 'yaml', { maxDocumentBytes: 50 });
      expect(result).toEqual({
        documents: [{ index: 0, value: { a: 1 }, line: 1, valueProblems: [] }],
        problems: [
          {
            field: '',
            rule: 'size-limit',
            message: 'the document is 108 bytes; at most 50 are accepted',
            line: 2,
            column: 1,
            documentIndex: 1,
          },
        ],
      });
    });
  });

  describe('JSON', () => {
    it('reads one object, tab-indented, with lines', () => {
      const result = readDocuments(
        '\uFEFF{\n\t"a": {\n\t\t"b": [1, "x\\/y"]\n\t}\n}',
        'auto',
        DEFAULT_READ_LIMITS,
      );
      expect(result.documents.map((d) => d.value)).toEqual([{ a: { b: [1, 'x/y'] } }]);
      expect(result.documents[0].locate('a.b[1]')).toEqual({ line: 3, column: 12 });
    });

    it.each<[string, Partial<DocumentProblem>]>([
      [
        '{"a": 1, "a": 2}',
        {
          field: 'a',
          rule: 'duplicate-key',
          message: 'duplicate key "a": map keys must be unique',
          line: 1,
          column: 10,
        },
      ],
      ['{"a": 1, b: 2}', { rule: 'syntax', message: expect.stringMatching(/^not valid JSON: /) }],
      ['{"a": [1, 2}', { rule: 'syntax', line: 1, column: 12 }],
      [
        '{\n  "apiVersion": "argoproj.io/v1alpha1",\n  "kind": ,\n  "spec": {}\n}',
        { rule: 'syntax', message: "not valid JSON: Unexpected token ','", line: 3, column: 11 },
      ],
      [
        '{"a": [1, 2,]}',
        { rule: 'syntax', message: "not valid JSON: Unexpected token ']'", line: 1, column: 13 },
      ],
      [
        `{"a":\n ${'['.repeat(300)}${']'.repeat(300)}}`,
        { rule: 'nesting-limit', line: 2, column: 129 },
      ],
    ])('refuses %j', (text, expected) => {
      const { documents, problems } = read(text);
      expect(documents).toEqual([]);
      expect(problems[0]).toEqual(expect.objectContaining({ documentIndex: 0, ...expected }));
    });

    it('refuses anything but a single object when JSON is asked for', () => {
      expect(read('[{"a": 1}]', 'json').problems).toEqual([
        {
          field: '',
          rule: 'syntax',
          message: 'a JSON ApplicationSet must be a single object',
          line: 1,
          column: 1,
          documentIndex: 0,
        },
      ]);
    });
  });
});
