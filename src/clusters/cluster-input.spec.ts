import { DomainError } from '../common/domain-error';
import {
  clusterNameProblems,
  parseRegisterRequest,
  parseUpdateRequest,
  serverUrlProblems,
} from './cluster-input';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).details.map((p) => `${p.field}:${p.rule}`);
  }
  return [];
}

describe('cluster names', () => {
  it.each(['a', 'prod-eu-1', 'Team A/prod #1', 'クラスター', 'x'.repeat(253), ' padded '])(
    'accepts %j',
    (name) => {
      expect(clusterNameProblems(name)).toEqual([]);
    },
  );
  it.each<[unknown, string]>([
    ['', 'length'],
    ['x'.repeat(254), 'length'],
    ['tab\there', 'printable'],
    ['bell\u0007', 'printable'],
    ['line\u2028sep', 'printable'],
    ['bidi\u202e', 'printable'],
    [42, 'required'],
  ])('rejects %j (%s)', (name, rule) => {
    expect(clusterNameProblems(name)).toEqual([expect.objectContaining({ field: 'name', rule })]);
  });
});

describe('server URLs', () => {
  it.each([
    'https://10.0.0.1:6443',
    'https://api.example.com',
    'https://127.0.0.1:6443/clusters/3',
    'http://127.0.0.1:8001',
    'http://localhost:8080',
    'http://[::1]:6443',
  ])('accepts %s', (url) => expect(serverUrlProblems(url)).toEqual([]));
  it.each<[string, string]>([
    ['http://10.0.0.1', 'url-scheme'],
    ['http://localhost.example.com', 'url-scheme'],
    ['ws://127.0.0.1', 'url-scheme'],
    ['not a url', 'url'],
    ['https://u:p@host', 'url-credentials'],
    ['https://host#frag', 'url'],
  ])('rejects %s (%s)', (url, rule) => {
    expect(serverUrlProblems(url)).toEqual([expect.objectContaining({ rule })]);
  });
});

describe(parseRegisterRequest.name, () => {
  it('normalises an empty registration', () => {
    expect(parseRegisterRequest({ name: 'a', server: 'https://h' })).toEqual({
      name: 'a',
      server: 'https://h',
      labels: {},
      annotations: {},
      project: null,
      credentials: null,
    });
  });
  it('collects every problem', () => {
    expect(
      problemsOf(() =>
        parseRegisterRequest({
          name: '',
          server: 'x',
          labels: { 'a b': 'c' },
          extra: 1,
          project: 'A',
        }),
      ),
    ).toEqual([
      'extra:unknown-field',
      'name:length',
      'server:url',
      "labels['a b']:label-key",
      'project:project-name',
    ]);
  });
});

describe(parseUpdateRequest.name, () => {
  it('keeps absent fields absent and nulls as removals', () => {
    expect(
      parseUpdateRequest({ labels: { env: 'prod', old: null }, project: null, credentials: null }),
    ).toEqual({
      labels: { env: 'prod', old: null },
      project: null,
      credentials: null,
    });
  });
  it('refuses renames and unknown fields', () => {
    expect(problemsOf(() => parseUpdateRequest({ name: 'b', labelz: {} }))).toEqual([
      'labelz:unknown-field',
      'name:immutable',
    ]);
  });
});
