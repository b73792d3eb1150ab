import { GitGenerator as GitGeneratorSpec } from '../argo/applicationset.types';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { normalize } from '../templates';
import { ParamSet } from './generator';
import { ExpansionWarning } from './generation-run';
import { pathEntries } from './testing/fixtures';
import { generateParams, rejectionOf } from './testing/generate-params';
import { InMemoryGitReader } from './testing/in-memory-ports';

const REPO = 'https://git.example/org/apps.git';
const git = new InMemoryGitReader({
  [REPO]: {
    HEAD: {
      sha: 'c0ffee',
      files: {
        'README.md': '',
        'apps/guestbook/kustomization.yaml': '',
        'apps/Guest_Book2/kustomization.yaml': '',
        'apps/excluded/kustomization.yaml': '',
        'apps/.hidden/kustomization.yaml': '',
        'apps/nested/team-a/app/kustomization.yaml': '',
        '.github/workflows/ci.yml': '',
        'p1/app4/x': '',
        'B/f': '',
        '_u/f': '',
        'a/b/c/f': '',
        'a-x/f': '',
        'a2/f': '',
      },
    },
    main: { sha: 'beef', files: { 'only/dir/f': '' } },
  },
});

const directories = pathEntries;

const dir = (path: string, prefix = 'path'): ParamSet => {
  const segments = path.split('/');
  const basename = segments[segments.length - 1];
  return Object.fromEntries([
    [prefix, path],
    [`${prefix}.basename`, basename],
    [`${prefix}.basenameNormalized`, normalize(basename)],
    ...segments.map((s, i) => [`${prefix}[${i}]`, s]),
  ]);
};

describe('Git directory generator', () => {
  it.each<[string, Partial<GitGeneratorSpec>, ParamSet[]]>([
    [
      'the whole parameter map of one directory',
      { directories: directories('apps/Guest_Book2') },
      [
        {
          path: 'apps/Guest_Book2',
          'path.basename': 'Guest_Book2',
          'path.basenameNormalized': 'guest-book2',
          'path[0]': 'apps',
          'path[1]': 'Guest_Book2',
        },
      ],
    ],
    [
      'apps/* in listing order',
      { directories: directories('apps/*') },
      ['apps/Guest_Book2', 'apps/excluded', 'apps/guestbook', 'apps/nested'].map((p) => dir(p)),
    ],
    [
      'exclude wins, whatever the order',
      { directories: directories(['apps/excluded', true], 'apps/*') },
      ['apps/Guest_Book2', 'apps/guestbook', 'apps/nested'].map((p) => dir(p)),
    ],
    ['an exclude pattern alone keeps nothing', { directories: directories(['apps/*', true]) }, []],
    [
      '* matches intermediate directories too; dot directories never appear',
      { directories: directories('*') },
      ['B', '_u', 'a', 'a-x', 'a2', 'apps', 'p1'].map((p) => dir(p)),
    ],
    [
      'pre-order walk order B, _u, a, a/b, a/b/c, a-x, a2',
      { directories: directories('B', '_u', 'a', 'a/*', 'a/*/*', 'a-x', 'a2') },
      ['B', '_u', 'a', 'a/b', 'a/b/c', 'a-x', 'a2'].map((p) => dir(p)),
    ],
    ['a leading slash never matches', { directories: directories('/apps/*') }, []],
    [
      'deep paths: path[N] for every segment',
      { directories: directories('apps/nested/*/app') },
      [dir('apps/nested/team-a/app')],
    ],
    [
      'pathParamPrefix',
      { directories: directories('apps/guestbook'), pathParamPrefix: 'app' },
      [dir('apps/guestbook', 'app.path')],
    ],
    [
      'values rendered against the path params',
      {
        directories: directories('apps/guestbook'),
        values: { ns: '{{path.basename}}-ns', seg: '{{ path[0] }}' },
      },
      [{ ...dir('apps/guestbook'), 'values.ns': 'guestbook-ns', 'values.seg': 'apps' }],
    ],
    ['a revision', { revision: 'main', directories: directories('*/*') }, [dir('only/dir')]],
  ])('%s', async (_name, spec, expected) => {
    const { params } = await generateParams({ git: { repoURL: REPO, ...spec } }, { git });
    expect(params).toEqual(expected);
  });

  it('reports a malformed pattern once and treats it as matching nothing', async () => {
    const result = await generateParams(
      { git: { repoURL: REPO, directories: directories('apps/[', 'p1') } },
      { git },
    );
    expect(result).toEqual({
      params: [dir('p1')],
      warnings: [
        {
          generatorIndex: 0,
          field: 'spec.generators[0].git.directories[0].path',
          message: 'syntax error in pattern "apps/[": the pattern matches nothing',
        },
      ] satisfies ExpansionWarning[],
    });
  });

  it('answers a URL or revision the mirror cache refuses as Invalid (retrying cannot help)', async () => {
    const refusing = new InMemoryGitReader({});
    refusing.resolveRevision = async () => {
      throw DomainError.invalid([
        {
          field: 'repoURL',
          rule: 'repo-url-file-repos-disabled',
          message: '"file:///srv/apps": file:// repositories are disabled',
        },
      ]);
    };
    const error = await rejectionOf(
      generateParams(
        { git: { repoURL: 'file:///srv/apps', directories: directories('*') } },
        { git: refusing },
      ),
    );
    expect(error).toMatchObject({
      code: DomainErrorCode.Invalid,
      message:
        'spec.generators[0].git.repoURL: "file:///srv/apps": file:// repositories are disabled',
      details: [
        {
          field: 'spec.generators[0].git.repoURL',
          rule: 'repo-url-file-repos-disabled',
          message: '"file:///srv/apps": file:// repositories are disabled',
        },
      ],
    });
  });

  it.each<[string, GitGeneratorSpec, DomainErrorCode, string]>([
    [
      'an unknown revision',
      { repoURL: REPO, revision: 'nope', directories: directories('*') },
      DomainErrorCode.Upstream,
      `spec.generators[0].git.revision: unable to resolve revision "nope" of ${REPO}: revision nope not found`,
    ],
    [
      'an unknown repository, credentials redacted',
      { repoURL: 'https://user:s3cret@git.example/x.git', directories: directories('*') },
      DomainErrorCode.Upstream,
      'spec.generators[0].git.revision: unable to resolve revision "HEAD" of https://***@git.example/x.git: repository not found',
    ],
    [
      'neither directories nor files',
      { repoURL: REPO, directories: [], files: [] },
      DomainErrorCode.Invalid,
      'spec.generators[0].git: ApplicationSet is empty: set directories or files',
    ],
  ])('rejects %s', async (_name, spec, code, message) => {
    const error = await rejectionOf(generateParams({ git: spec }, { git }));
    expect(error).toMatchObject({
      code,
      message,
      generatorPath: 'spec.generators[0]',
      generatorIndex: 0,
    });
    expect(JSON.stringify(error.details)).not.toContain('s3cret');
  });
});
