import { TagSyntax, parseTagSyntax } from './helper-syntax';

describe('parseTagSyntax', () => {
  it.each<[string, TagSyntax | null]>([
    // Plain tags: parameter keys, whatever characters they hold.
    ['name', null],
    ['metadata.labels.topology.kubernetes.io/zone', null],
    ['path[0]', null],
    ['lower', null],
    ['unknownHelper x', null],
    ['#unknownBlock x', null],
    ['/unknownBlock', null],
    ['@foo', null],
    ['', null],
    // Helper calls: bare words are whole flat keys.
    [
      'lower metadata.labels.topology.kubernetes.io/zone',
      {
        kind: 'call',
        helper: 'lower',
        args: [{ kind: 'param', key: 'metadata.labels.topology.kubernetes.io/zone' }],
      },
    ],
    [
      'replace "_" \'-\' path[0]',
      {
        kind: 'call',
        helper: 'replace',
        args: [
          { kind: 'literal', value: '_' },
          { kind: 'literal', value: '-' },
          { kind: 'param', key: 'path[0]' },
        ],
      },
    ],
    [
      'trunc -5 (default "x \\" y" values.name)',
      {
        kind: 'call',
        helper: 'trunc',
        args: [
          { kind: 'literal', value: -5 },
          {
            kind: 'call',
            helper: 'default',
            args: [
              { kind: 'literal', value: 'x " y' },
              { kind: 'param', key: 'values.name' },
            ],
          },
        ],
      },
    ],
    [
      'quote true false null undefined 1.5',
      {
        kind: 'call',
        helper: 'quote',
        args: [true, false, null, undefined, 1.5].map((value) => ({ kind: 'literal', value })),
      },
    ],
    [
      'toJson this.metadata.labels.env',
      { kind: 'call', helper: 'toJson', args: [{ kind: 'context', key: 'metadata.labels.env' }] },
    ],
    // Blocks.
    [
      '#if values.debug',
      { kind: 'open', helper: 'if', argument: { kind: 'param', key: 'values.debug' } },
    ],
    [
      '# each clusters',
      { kind: 'open', helper: 'each', argument: { kind: 'param', key: 'clusters' } },
    ],
    ['else', { kind: 'else' }],
    ['/if', { kind: 'close', helper: 'if' }],
    ['/ each', { kind: 'close', helper: 'each' }],
    ['this', { kind: 'reference', argument: { kind: 'context', key: null } }],
    ['this.name', { kind: 'reference', argument: { kind: 'context', key: 'name' } }],
    ['@index', { kind: 'reference', argument: { kind: 'data', name: 'index' } }],
    // Malformed: a call stays a plain tag (with this reason); a block is an error.
    ['lower a b', { kind: 'malformed', form: 'call', reason: 'lower takes 1 argument, got 2' }],
    ['quote (lower)', { kind: 'malformed', form: 'call', reason: 'lower takes 1 argument, got 0' }],
    [
      'lower (env x)',
      { kind: 'malformed', form: 'call', reason: 'unknown helper "env" in a subexpression' },
    ],
    ['lower (upper x', { kind: 'malformed', form: 'call', reason: 'missing ")"' }],
    ['lower x)', { kind: 'malformed', form: 'call', reason: 'unexpected ")"' }],
    ['lower "x', { kind: 'malformed', form: 'call', reason: 'unterminated string "x' }],
    [
      'lower @foo',
      {
        kind: 'malformed',
        form: 'call',
        reason: 'unknown data variable "@foo"; use @index, @key, @first or @last',
      },
    ],
    ['#if', { kind: 'malformed', form: 'open', reason: '#if takes 1 argument, got 0' }],
    ['#each a b', { kind: 'malformed', form: 'open', reason: '#each takes 1 argument, got 2' }],
  ])('%j', (key, expected) => {
    expect(parseTagSyntax(key)).toEqual(expected);
  });
});
