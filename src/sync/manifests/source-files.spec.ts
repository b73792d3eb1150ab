import { compileGlob, globMatches } from './glob';
import { FileSelection, SourceType, detectSourceType, selectManifestFiles } from './source-files';
import { ApplicationSource, DirectorySource } from '../../argo/application.types';

describe('compileGlob (gobwas/glob without separators, as Argo CD)', () => {
  it.each<[string, string, boolean]>([
    ['*.yaml', 'app.yaml', true],
    ['*.yaml', 'sub/app.yaml', true],
    ['*.yaml', 'app.yml', false],
    ['some-directory/*', 'some-directory/a.yaml', true],
    ['some-directory/*', 'some-directory/deep/a.yaml', true],
    ['some-directory/*', 'other/a.yaml', false],
    ['{*.yml,*.yaml}', 'a.yml', true],
    ['{*.yml,*.yaml}', 'a.json', false],
    ['{config.json,env-usw2/*}', 'config.json', true],
    ['{config.json,env-usw2/*}', 'env-usw2/configmap.yaml', true],
    ['{config.json,env-usw2/*}', 'env-use2/configmap.yaml', false],
    ['{a,{b,c}}.yaml', 'c.yaml', true],
    ['app?.yaml', 'app1.yaml', true],
    ['app?.yaml', 'app10.yaml', false],
    ['app[0-9].yaml', 'app7.yaml', true],
    ['app[!0-9].yaml', 'app7.yaml', false],
    ['app[!0-9].yaml', 'appx.yaml', true],
    ['\\*.yaml', '*.yaml', true],
    ['\\*.yaml', 'a.yaml', false],
    ['a.yaml', 'xa.yaml', false],
    ['(a|b).yaml', 'a.yaml', false],
    ['(a|b).yaml', '(a|b).yaml', true],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    const compiled = compileGlob(pattern);
    if ('error' in compiled) throw new Error(compiled.error);
    expect(globMatches(compiled, path)).toBe(expected);
  });

  it.each([
    ['[abc', "the '[' at position 0 is not closed by ']'"],
    ['{a,b', "a '{' is not closed by '}'"],
    ['x[]', 'the character class at position 1 is empty'],
    ['[z-a]', "the range 'z-a' at position 0 is reversed"],
    ['a\\', 'the pattern ends with an escape character'],
  ])('refuses %s', (pattern, error) => {
    expect(compileGlob(pattern)).toEqual({ error });
  });
});

describe('selectManifestFiles', () => {
  const tree = [
    'deployment.yaml',
    'config.json',
    'README.md',
    'service.yml',
    'Service.YAML',
    '.hidden.yaml',
    'env-use2/configmap.yaml',
    'env-usw2/configmap.yaml',
    '.config/extra.yaml',
    '.git/config.yaml',
    './dotted.yaml',
  ];
  it.each<[string, DirectorySource | undefined, FileSelection]>([
    [
      'no settings: top-level manifests only, hidden ones included',
      undefined,
      {
        files: ['.hidden.yaml', 'config.json', 'deployment.yaml', 'dotted.yaml', 'service.yml'],
        problems: [],
      },
    ],
    [
      'recurse: every depth, never .git',
      { recurse: true },
      {
        files: [
          '.config/extra.yaml',
          '.hidden.yaml',
          'config.json',
          'deployment.yaml',
          'dotted.yaml',
          'env-use2/configmap.yaml',
          'env-usw2/configmap.yaml',
          'service.yml',
        ],
        problems: [],
      },
    ],
    [
      "the docs' example: include *.yaml, exclude {config.json,env-usw2/*}",
      { recurse: true, include: '*.yaml', exclude: '{config.json,env-usw2/*}' },
      {
        files: [
          '.config/extra.yaml',
          '.hidden.yaml',
          'deployment.yaml',
          'dotted.yaml',
          'env-use2/configmap.yaml',
        ],
        problems: [],
      },
    ],
    [
      'include cannot add files of other extensions',
      { include: '*.md' },
      { files: [], problems: [] },
    ],
    [
      'a malformed glob is an error naming the field',
      { include: '{a,b' },
      {
        files: [],
        problems: [
          {
            field: 'spec.source.directory.include',
            rule: 'glob',
            message: "is not a valid glob pattern: a '{' is not closed by '}'",
          },
        ],
      },
    ],
  ])('%s', (_name, directory, expected) => {
    expect(selectManifestFiles(tree, directory)).toEqual(expected);
  });

  it('refuses Jsonnet instead of silently dropping it, unless excluded', () => {
    expect(selectManifestFiles(['a.yaml', 'b.jsonnet'], undefined)).toEqual({
      files: [],
      problems: [
        {
          field: 'spec.source.directory',
          rule: 'unsupported',
          message: 'b.jsonnet: Jsonnet is not supported; exclude the file or render it to YAML',
        },
      ],
    });
    expect(selectManifestFiles(['a.yaml', 'b.jsonnet'], { exclude: '*.jsonnet' })).toEqual({
      files: ['a.yaml'],
      problems: [],
    });
  });
});

describe('detectSourceType', () => {
  const git = { repoURL: 'https://git.example.com/repo.git', path: 'app' };
  it.each<[string, ApplicationSource, string[], { type: SourceType }]>([
    ['plain manifests', git, ['a.yaml', 'sub/kustomization.yaml'], { type: 'directory' }],
    ['a kustomization.yaml', git, ['kustomization.yaml', 'a.yaml'], { type: 'kustomize' }],
    ['a kustomization.yml', git, ['kustomization.yml'], { type: 'kustomize' }],
    ['a Kustomization', git, ['Kustomization'], { type: 'kustomize' }],
    ['a Chart.yaml', git, ['Chart.yaml', 'values.yaml'], { type: 'helm' }],
    ["a name ending in Chart.yaml (Argo's suffix test)", git, ['MyChart.yaml'], { type: 'helm' }],
    [
      'both: Kustomize wins, as in Argo',
      git,
      ['Chart.yaml', 'kustomization.yaml'],
      { type: 'kustomize' },
    ],
    [
      'explicit directory over a kustomization file',
      { ...git, directory: { recurse: true } },
      ['kustomization.yaml'],
      { type: 'directory' },
    ],
    ['explicit helm', { ...git, helm: { releaseName: 'x' } }, [], { type: 'helm' }],
    [
      'a chart from a Helm repository',
      { repoURL: 'https://charts.example.com', chart: 'redis' },
      [],
      { type: 'helm' },
    ],
    ['explicit kustomize', { ...git, kustomize: {} }, ['Chart.yaml'], { type: 'kustomize' }],
  ])('%s', (_name, source, files, expected) => {
    expect(detectSourceType(source, files)).toEqual(expected);
  });

  it.each<[ApplicationSource, object]>([
    [
      { ...git, helm: {}, kustomize: {} },
      {
        field: 'spec.source',
        rule: 'single-source-type',
        message:
          'multiple application sources defined: Kustomize, Helm; set only one of helm, kustomize, directory',
      },
    ],
    [
      { ...git, plugin: { name: 'cmp' } },
      {
        field: 'spec.source.plugin',
        rule: 'unsupported',
        message:
          'config management plugins are not supported; render with Helm, Kustomize or plain manifests',
      },
    ],
  ])('refuses %j', (source, problem) => {
    expect(detectSourceType(source, [])).toEqual({ problem });
  });
});
