import { DomainError, DomainErrorCode } from '../../../common/domain-error';
import {
  parseDeleteRequest,
  parseDiffQuery,
  parseRollbackRequest,
  parseSyncRequest,
} from './operation-requests';

function problemsOf(run: () => unknown): { code: string; fields: string[] } {
  try {
    run();
  } catch (error) {
    const e = error as DomainError;
    return { code: e.code, fields: e.details.map((d) => `${d.field}:${d.rule}`) };
  }
  throw new Error('no error');
}

describe(parseSyncRequest.name, () => {
  it.each<[unknown, object]>([
    [undefined, { prune: false, dryRun: false, allowEmpty: false }],
    ['', { prune: false, dryRun: false, allowEmpty: false }],
    [{}, { prune: false, dryRun: false, allowEmpty: false }],
    [
      { revision: 'v1.2', prune: true, dryRun: true, allowEmpty: true },
      { revision: 'v1.2', prune: true, dryRun: true, allowEmpty: true },
    ],
    [
      { revision: null, prune: null },
      { prune: false, dryRun: false, allowEmpty: false },
    ],
    [
      { revisions: ['v2', 'main'] },
      {
        revisions: [
          { position: 1, revision: 'v2' },
          { position: 2, revision: 'main' },
        ],
        prune: false,
        dryRun: false,
        allowEmpty: false,
      },
    ],
    [
      { revisions: ['v2'], sourcePositions: [2] },
      {
        revisions: [{ position: 2, revision: 'v2' }],
        prune: false,
        dryRun: false,
        allowEmpty: false,
      },
    ],
    [
      { revisions: ['v2', 'main'], sourceNames: ['values', 'chart'] },
      {
        revisions: [
          { name: 'values', revision: 'v2' },
          { name: 'chart', revision: 'main' },
        ],
        prune: false,
        dryRun: false,
        allowEmpty: false,
      },
    ],
  ])('%j → %j', (body, expected) => {
    expect(parseSyncRequest(body)).toEqual(expected);
  });

  it.each<[string, unknown, string, string[]]>([
    ['a list', [1], DomainErrorCode.BadRequest, ['body:type']],
    ['a string', 'sync', DomainErrorCode.BadRequest, ['body:type']],
    ['an unknown field', { purne: true }, DomainErrorCode.Invalid, ['purne:unknown-field']],
    ['a numeric revision', { revision: 5 }, DomainErrorCode.Invalid, ['revision:type']],
    ['a blank revision', { revision: ' ' }, DomainErrorCode.Invalid, ['revision:type']],
    [
      'a revision expression',
      { revision: 'main~1' },
      DomainErrorCode.Invalid,
      ['revision:git-revision'],
    ],
    [
      'an option flag',
      { revision: '--upload-pack=x' },
      DomainErrorCode.Invalid,
      ['revision:git-revision'],
    ],
    [
      'revision and revisions together',
      { revision: 'v1', revisions: ['v2'] },
      DomainErrorCode.Invalid,
      ['revisions:exclusive'],
    ],
    ['an empty revisions list', { revisions: [] }, DomainErrorCode.Invalid, ['revisions:type']],
    [
      'bad revisions, each named',
      { revisions: ['ok', 7, 'a..b'] },
      DomainErrorCode.Invalid,
      ['revisions[1]:type', 'revisions[2]:git-revision'],
    ],
    [
      'positions without revisions',
      { sourcePositions: [1] },
      DomainErrorCode.Invalid,
      ['sourcePositions:requires'],
    ],
    [
      'positions of another length',
      { revisions: ['v1', 'v2'], sourcePositions: [1] },
      DomainErrorCode.Invalid,
      ['sourcePositions:length'],
    ],
    [
      'a position below 1 and a repeated one',
      { revisions: ['v1', 'v2', 'v3'], sourcePositions: [0, 2, 2] },
      DomainErrorCode.Invalid,
      ['sourcePositions[0]:type', 'sourcePositions[2]:unique'],
    ],
    [
      'names without revisions',
      { sourceNames: ['chart'] },
      DomainErrorCode.Invalid,
      ['sourceNames:requires'],
    ],
    [
      'positions and names together',
      { revisions: ['v1'], sourcePositions: [1], sourceNames: ['chart'] },
      DomainErrorCode.Invalid,
      ['sourceNames:exclusive'],
    ],
    [
      'names of another length',
      { revisions: ['v1', 'v2'], sourceNames: ['chart'] },
      DomainErrorCode.Invalid,
      ['sourceNames:length'],
    ],
    [
      'a blank name and a repeated one',
      { revisions: ['v1', 'v2', 'v3'], sourceNames: ['', 'chart', 'chart'] },
      DomainErrorCode.Invalid,
      ['sourceNames[0]:type', 'sourceNames[2]:unique'],
    ],
    [
      'string booleans, every one named',
      { prune: 'yes', dryRun: 1 },
      DomainErrorCode.Invalid,
      ['prune:type', 'dryRun:type'],
    ],
  ])('refuses %s', (_name, body, code, fields) => {
    expect(problemsOf(() => parseSyncRequest(body))).toEqual({ code, fields });
  });
});

describe(parseDiffQuery.name, () => {
  it.each<[Record<string, unknown>, object]>([
    [{}, {}],
    [{ revision: 'v1' }, { revision: 'v1' }],
    [{ revision: '' }, {}],
    [{ revisions: 'v2', sourcePositions: '2' }, { revisions: [{ position: 2, revision: 'v2' }] }],
    [
      { revisions: ['v2', 'v3'], sourceNames: ['values', 'chart'] },
      {
        revisions: [
          { name: 'values', revision: 'v2' },
          { name: 'chart', revision: 'v3' },
        ],
      },
    ],
  ])('%j → %j', (query, expected) => {
    expect(parseDiffQuery(query)).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['an unknown parameter', { revison: 'v1' }, ['revison:unknown-field']],
    ['a repeated revision', { revision: ['v1', 'v2'] }, ['revision:type']],
    [
      'a position that is no number',
      { revisions: 'v1', sourcePositions: 'one' },
      ['sourcePositions[0]:type'],
    ],
    ['a position of 0', { revisions: 'v1', sourcePositions: '0' }, ['sourcePositions[0]:type']],
  ])('refuses %s', (_name, query, fields) => {
    expect(problemsOf(() => parseDiffQuery(query))).toEqual({
      code: DomainErrorCode.Invalid,
      fields,
    });
  });
});

describe(parseRollbackRequest.name, () => {
  it.each<[unknown, object]>([
    [undefined, { prune: false, dryRun: false }],
    [{ id: 0 }, { id: 0, prune: false, dryRun: false }],
    [
      { id: 12, prune: true },
      { id: 12, prune: true, dryRun: false },
    ],
  ])('%j → %j', (body, expected) => {
    expect(parseRollbackRequest(body)).toEqual(expected);
  });

  it.each<[unknown, string[]]>([
    [{ id: -1 }, ['id:history-id']],
    [{ id: 1.5 }, ['id:history-id']],
    [{ id: '3' }, ['id:history-id']],
    [{ id: 3, revision: 'x' }, ['revision:unknown-field']],
  ])('refuses %j', (body, fields) => {
    expect(problemsOf(() => parseRollbackRequest(body))).toEqual({
      code: DomainErrorCode.Invalid,
      fields,
    });
  });
});

describe(parseDeleteRequest.name, () => {
  it.each<[Record<string, unknown>, boolean]>([
    [{}, true],
    [{ cascade: '' }, true],
    [{ cascade: 'true' }, true],
    [{ cascade: 'false' }, false],
  ])('%j → cascade %s', (query, cascade) => {
    expect(parseDeleteRequest(query)).toEqual({ cascade });
  });

  it.each<[Record<string, unknown>, string[]]>([
    [{ cascade: 'no' }, ['cascade:type']],
    [{ cascade: ['true', 'false'] }, ['cascade:type']],
    [{ casade: 'false' }, ['casade:unknown-field']],
  ])('refuses %j with 400 naming the parameter', (query, fields) => {
    expect(problemsOf(() => parseDeleteRequest(query))).toEqual({
      code: DomainErrorCode.BadRequest,
      fields,
    });
  });
});
