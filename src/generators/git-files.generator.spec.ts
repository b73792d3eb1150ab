import { GitGenerator as GitGeneratorSpec } from '../argo/applicationset.types';
import { DomainErrorCode } from '../common/domain-error';
import { ParamSet } from './generator';
import { pathEntries } from './testing/fixtures';
import { generateParams, rejectionOf } from './testing/generate-params';
import { InMemoryGitReader } from './testing/in-memory-ports';

const REPO = 'https://git.example/org/config.git';
const git = new InMemoryGitReader({
  [REPO]: {
    HEAD: {
      sha: 'abc123',
      files: {
        'config.json': '{"cluster": {"name": "root"}}',
        'clusters/dev/config.json':
          '{\n\t"cluster": {\n\t\t"name": "dev",\n\t\t"replicas": 1234567\n\t}\n}',
        'clusters/prod_eu/config.yaml':
          'cluster:\n  name: prod\n  zones: [a, b]\n  big: 1000000\n  small: 0.00001\n  int: 123\n  half: 1.5\n  none: null\n  on: yes\npath: overwritten\n',
        'clusters/list/config.yaml': '- name: one\n- name: two\n',
        'clusters/empty/config.json': '',
        'clusters/nothing/config.json': '[]',
        'clusters/null/config.json': 'null',
        'broken/scalar.yaml': 'just some text',
        'broken/invalid.yaml': 'password: hunter2\nx: [',
        'broken/list.yaml': '- 1\n',
        'links/config.json': { type: 'symlink', content: '{"cluster": {"name": "linked"}}' },
        'vendor/lib': { type: 'submodule' },
        'odd/config.json': '{"__proto__": "p", "constructor": {"name": "c"}}',
      },
    },
  },
});

const files = pathEntries;

/** The whole parameter map of `clusters/dev/config.json` (JSON indented with tabs). */
const DEV_PARAMS: ParamSet = {
  'cluster.name': 'dev',
  'cluster.replicas': '1.234567e+06',
  path: 'clusters/dev',
  'path.basename': 'dev',
  'path.filename': 'config.json',
  'path.basenameNormalized': 'dev',
  'path.filenameNormalized': 'config.json',
  'path[0]': 'clusters',
  'path[1]': 'dev',
};

/** The set of an empty (or null) `clusters/<dir>/config.json`, with path prefix `f`. */
const pathOnly = (dir: string): ParamSet => ({
  'f.path': `clusters/${dir}`,
  'f.path.basename': dir,
  'f.path.filename': 'config.json',
  'f.path.basenameNormalized': dir,
  'f.path.filenameNormalized': 'config.json',
  'f.path[0]': 'clusters',
  'f.path[1]': dir,
});

async function paramsFor(spec: Partial<GitGeneratorSpec>): Promise<ParamSet[]> {
  return (await generateParams({ git: { repoURL: REPO, ...spec } }, { git })).params;
}

describe('Git files generator', () => {
  it.each<[string, Partial<GitGeneratorSpec>, ParamSet[]]>([
    [
      'JSON with tabs; numbers formatted as Go float64; path params',
      { files: files('clusters/dev/config.json') },
      [DEV_PARAMS],
    ],
    [
      'YAML flattened; Go %v leaves; path params overwrite file keys',
      { files: files('clusters/prod_eu/*.yaml') },
      [
        {
          'cluster.name': 'prod',
          'cluster.zones.0': 'a',
          'cluster.zones.1': 'b',
          'cluster.big': '1e+06',
          'cluster.small': '1e-05',
          'cluster.int': '123',
          'cluster.half': '1.5',
          'cluster.none': '<nil>',
          'cluster.true': 'true',
          path: 'clusters/prod_eu',
          'path.basename': 'prod_eu',
          'path.filename': 'config.yaml',
          'path.basenameNormalized': 'prod-eu',
          'path.filenameNormalized': 'config.yaml',
          'path[0]': 'clusters',
          'path[1]': 'prod_eu',
        },
      ],
    ],
    [
      'a root file: path "." and path[0] "."; basenameNormalized empty',
      { files: files('config.json') },
      [
        {
          'cluster.name': 'root',
          path: '.',
          'path.basename': '.',
          'path.filename': 'config.json',
          'path.basenameNormalized': '',
          'path.filenameNormalized': 'config.json',
          'path[0]': '.',
        },
      ],
    ],
    [
      'a list gives one set per item; an empty file or null one set of path params; [] none (byte-wise file order)',
      {
        files: files(
          'clusters/list/*',
          'clusters/empty/*',
          'clusters/null/*',
          'clusters/nothing/*',
        ),
        pathParamPrefix: 'f',
      },
      [
        pathOnly('empty'),
        ...['one', 'two'].map((name) => ({
          name,
          'f.path': 'clusters/list',
          'f.path.basename': 'list',
          'f.path.filename': 'config.yaml',
          'f.path.basenameNormalized': 'list',
          'f.path.filenameNormalized': 'config.yaml',
          'f.path[0]': 'clusters',
          'f.path[1]': 'list',
        })),
        pathOnly('null'),
      ],
    ],
    [
      '* crosses / (legacy git pathspec); exclude wins; files in byte-wise order',
      {
        files: files('clusters/*.json', ['clusters/empty/*', true], ['clusters/n*', true]),
        values: { name: '{{cluster.name}}' },
      },
      [{ ...DEV_PARAMS, 'values.name': 'dev' }],
    ],
    [
      'a symlink is read through',
      { files: files('links/*') },
      [
        {
          'cluster.name': 'linked',
          path: 'links',
          'path.basename': 'links',
          'path.filename': 'config.json',
          'path.basenameNormalized': 'links',
          'path.filenameNormalized': 'config.json',
          'path[0]': 'links',
        },
      ],
    ],
    ['only exclude patterns select nothing', { files: files(['*', true]) }, []],
    [
      'keys named __proto__ and constructor stay plain keys',
      { files: files('odd/*'), values: { v: '{{__proto__}}-{{constructor.name}}' } },
      [
        Object.fromEntries([
          ['__proto__', 'p'],
          ['constructor.name', 'c'],
          ['path', 'odd'],
          ['path.basename', 'odd'],
          ['path.filename', 'config.json'],
          ['path.basenameNormalized', 'odd'],
          ['path.filenameNormalized', 'config.json'],
          ['path[0]', 'odd'],
          ['values.v', 'p-c'],
        ]),
      ],
    ],
    [
      '**/config.json does not match a root config.json',
      { files: files('**/config.json', ['clusters/*', true], ['links/*', true], ['odd/*', true]) },
      [],
    ],
  ])('%s', async (_name, spec, expected) => {
    expect(await paramsFor(spec)).toEqual(expected);
  });

  it.each<[string, string[], DomainErrorCode, string]>([
    [
      'a scalar file',
      ['broken/scalar.yaml'],
      DomainErrorCode.Invalid,
      "spec.generators[0].git.files: unable to process file 'broken/scalar.yaml': unable to parse file: expected a map or a list of maps, found a string",
    ],
    [
      'a list of scalars',
      ['broken/list.yaml'],
      DomainErrorCode.Invalid,
      "spec.generators[0].git.files: unable to process file 'broken/list.yaml': unable to parse file: item 0 of the list is a number, not a map",
    ],
    [
      'invalid YAML, without quoting the content',
      ['broken/invalid.yaml'],
      DomainErrorCode.Invalid,
      "spec.generators[0].git.files: unable to process file 'broken/invalid.yaml': unable to parse file: invalid YAML at line 2, column 5 (BAD_INDENT)",
    ],
    [
      'a submodule',
      ['vendor'],
      DomainErrorCode.Invalid,
      "spec.generators[0].git.files: unable to process file 'vendor/lib': it is a submodule, which has no content to read",
    ],
    [
      'a pattern git refuses',
      ['../outside'],
      DomainErrorCode.Invalid,
      'spec.generators[0].git.files[0].path: invalid files pattern "../outside": it is outside the repository',
    ],
  ])('rejects %s', async (_name, patterns, code, message) => {
    const error = await rejectionOf(paramsFor({ files: files(...patterns) }));
    expect(error).toMatchObject({ code, message, generatorIndex: 0 });
    expect(error.message).not.toContain('hunter2');
  });

  it('names the file when it cannot be read', async () => {
    const failing = new InMemoryGitReader({ [REPO]: { HEAD: { sha: 's1', files: {} } } });
    failing.listTree = async () => [{ path: 'gone.json', type: 'file' }];
    const error = await rejectionOf(
      generateParams({ git: { repoURL: REPO, files: files('*.json') } }, { git: failing }),
    );
    expect(error).toMatchObject({
      code: DomainErrorCode.Upstream,
      message:
        "spec.generators[0].git.files: unable to process file 'gone.json': unable to read it at s1: path gone.json not found",
    });
  });
});
