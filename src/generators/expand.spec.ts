import { Application } from '../argo/application.types';
import { ApplicationSet, ApplicationSetSpec } from '../argo/applicationset.types';
import { DomainErrorCode } from '../common/domain-error';
import { Expansion, expandApplicationSet } from './expand';
import { ClusterRecord } from './ports';
import { clusterRecord } from './testing/fixtures';
import { rejectionOf } from './testing/generate-params';
import { InMemoryClusterSource, InMemoryGitReader } from './testing/in-memory-ports';

const REPO = 'https://git.example/apps.git';
const FINALIZER = 'resources-finalizer.argocd.argoproj.io';

const CLUSTERS = [
  clusterRecord('prod-2', { env: 'prod' }),
  clusterRecord('dev-1', { env: 'dev' }),
  clusterRecord('prod-1', { env: 'prod' }),
];

function ports(clusters: readonly ClusterRecord[] = CLUSTERS) {
  return {
    clusters: new InMemoryClusterSource(clusters),
    git: new InMemoryGitReader({
      [REPO]: {
        HEAD: { sha: 'sha-head', files: { 'apps/web/k.yaml': '', 'apps/api/k.yaml': '' } },
        v1: { sha: 'sha-v1', files: { 'apps/web/k.yaml': '' } },
      },
    }),
  };
}

const appSet = (spec: Partial<ApplicationSetSpec>): ApplicationSet => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name: 'guestbook', namespace: 'argocd' },
  spec: {
    generators: [],
    template: {
      metadata: { name: '{{name}}-guestbook' },
      spec: {
        project: 'default',
        source: { repoURL: REPO, targetRevision: 'HEAD', path: 'guestbook/{{name}}' },
        destination: { server: '{{server}}', namespace: 'guestbook' },
      },
    },
    ...spec,
  },
});

const app = (
  name: string,
  server: string,
  overrides: Partial<Application['metadata']> = {},
): Application => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: {
    name: `${name}-guestbook`,
    namespace: 'argocd',
    finalizers: [FINALIZER],
    ...overrides,
  },
  spec: {
    project: 'default',
    source: { repoURL: REPO, targetRevision: 'HEAD', path: `guestbook/${name}` },
    destination: { server, namespace: 'guestbook' },
  },
});

describe('expandApplicationSet', () => {
  it('renders each parameter set into an Application, in generator then parameter order', async () => {
    const expansion = await expandApplicationSet(
      appSet({
        generators: [
          { list: { elements: [{ name: 'l1', server: 'https://l1' }] } },
          {
            clusters: { selector: { matchLabels: { env: 'prod' } } },
            list: { elements: [{ name: 'l2', server: 'https://l2' }] },
          },
        ],
      }),
      ports(),
    );
    expect(expansion).toEqual<Expansion>({
      applications: [
        { application: app('l1', 'https://l1'), params: { name: 'l1', server: 'https://l1' } },
        { application: app('l2', 'https://l2'), params: { name: 'l2', server: 'https://l2' } },
        {
          application: app('prod-1', 'https://prod-1'),
          params: {
            name: 'prod-1',
            nameNormalized: 'prod-1',
            server: 'https://prod-1',
            project: '',
            'metadata.labels.env': 'prod',
          },
        },
        {
          application: app('prod-2', 'https://prod-2'),
          params: {
            name: 'prod-2',
            nameNormalized: 'prod-2',
            server: 'https://prod-2',
            project: '',
            'metadata.labels.env': 'prod',
          },
        },
      ],
      warnings: [],
      requeueAfterSeconds: null,
      gitRevisions: [],
    });
  });

  it('merges the generator-level template over spec.template, and honours preserveResourcesOnDeletion', async () => {
    const expansion = await expandApplicationSet(
      appSet({
        syncPolicy: { preserveResourcesOnDeletion: true },
        generators: [
          {
            list: {
              elements: [{ name: 'a', server: 'https://a' }],
              template: {
                metadata: { labels: { team: '{{name}}' } },
                spec: { destination: { namespace: 'custom' } },
              },
            },
          },
        ],
      }),
      ports(),
    );
    expect(expansion.applications.map((a) => a.application)).toEqual([
      {
        ...app('a', 'https://a', { labels: { team: 'a' } }),
        metadata: { name: 'a-guestbook', namespace: 'argocd', labels: { team: 'a' } },
        spec: {
          ...app('a', 'https://a').spec,
          destination: { server: 'https://a', namespace: 'custom' },
        },
      },
    ]);
  });

  it.each<[string, string | undefined, string | undefined, Application['metadata']]>([
    [
      "overwrites a template namespace with the ApplicationSet's",
      'argocd',
      'elsewhere-{{name}}',
      { name: 'a-guestbook', namespace: 'argocd', finalizers: [FINALIZER] },
    ],
    [
      "sets the ApplicationSet's namespace when the template has none",
      'team-a',
      undefined,
      { name: 'a-guestbook', namespace: 'team-a', finalizers: [FINALIZER] },
    ],
    [
      'drops a template namespace when the ApplicationSet has none',
      undefined,
      'elsewhere',
      { name: 'a-guestbook', finalizers: [FINALIZER] },
    ],
  ])('%s (semantics.md §2.4)', async (_name, appSetNamespace, templateNamespace, metadata) => {
    const base = appSet({
      generators: [{ list: { elements: [{ name: 'a', server: 'https://a' }] } }],
    });
    base.spec.template.metadata = { name: '{{name}}-guestbook', namespace: templateNamespace };
    base.metadata = { name: 'guestbook', namespace: appSetNamespace };
    const { applications } = await expandApplicationSet(base, ports());
    expect(applications.map((a) => a.application.metadata)).toEqual([metadata]);
  });

  it('applies the entry post-selector before rendering', async () => {
    const { applications } = await expandApplicationSet(
      appSet({
        generators: [
          {
            clusters: {},
            selector: {
              matchExpressions: [{ key: 'name', operator: 'NotIn', values: ['prod-2'] }],
            },
          },
        ],
      }),
      ports(),
    );
    expect(applications.map((a) => a.application.metadata.name)).toEqual([
      'dev-1-guestbook',
      'prod-1-guestbook',
    ]);
  });

  it('reports each unknown tag once, naming the template it came from', async () => {
    const base = appSet({});
    const expansion = await expandApplicationSet(
      appSet({
        template: {
          ...base.spec.template,
          metadata: { name: '{{name}}-guestbook', annotations: { note: '{{ nope }}' } },
        },
        generators: [
          {
            list: {
              elements: [
                { name: 'a', server: 'https://a' },
                { name: 'b', server: 'https://b' },
              ],
              template: { metadata: { labels: { 'team/{{team}}': 'x' } } },
            },
          },
        ],
      }),
      ports(),
    );
    expect(expansion.warnings).toEqual([
      {
        generatorIndex: 0,
        field: 'spec.template.metadata.annotations.note',
        message: '{{ nope }} left as is: no parameter named "nope"',
      },
      {
        generatorIndex: 0,
        field: "spec.generators[0].list.template.metadata.labels['team/{{team}}']",
        message: '{{team}} left as is: no parameter named "team"',
      },
    ]);
    expect(expansion.applications[1].application.metadata.labels).toEqual({ 'team/{{team}}': 'x' });
  });

  it('returns the template untouched for an empty parameter set, as Argo does', async () => {
    const { applications } = await expandApplicationSet(
      appSet({ generators: [{ list: { elements: [{}] } }] }),
      ports(),
    );
    expect(applications).toEqual([
      { application: { ...app('x', 'y'), ...rawTemplate() }, params: {} },
    ]);
  });

  it('resolves each Git revision and lists each tree once, however often a matrix re-renders', async () => {
    const p = ports();
    const expansion = await expandApplicationSet(
      appSet({
        template: { ...appSet({}).spec.template, metadata: { name: '{{name}}-{{path.basename}}' } },
        generators: [
          {
            matrix: {
              generators: [
                { clusters: {} },
                { git: { repoURL: REPO, directories: [{ path: 'apps/*' }] } },
              ],
            },
          },
          {
            git: {
              repoURL: REPO,
              revision: 'v1',
              directories: [{ path: 'apps/*' }],
              requeueAfterSeconds: 60,
            },
          },
          { clusters: {}, selector: { matchLabels: { name: 'dev-1' } } },
        ],
      }),
      p,
    );
    expect(expansion.applications.map((a) => a.application.metadata.name)).toEqual([
      'dev-1-api',
      'dev-1-web',
      'prod-1-api',
      'prod-1-web',
      'prod-2-api',
      'prod-2-web',
      '{{name}}-web',
      'dev-1-{{path.basename}}',
    ]);
    expect(expansion.gitRevisions).toEqual([
      { repoURL: REPO, revision: 'HEAD', sha: 'sha-head' },
      { repoURL: REPO, revision: 'v1', sha: 'sha-v1' },
    ]);
    expect(expansion.requeueAfterSeconds).toBe(60);
    expect(p.git.calls).toEqual({ resolveRevision: 2, listTree: 2, readFile: 0 });
    expect(p.clusters.calls).toBe(1);
  });

  it('is deterministic: equal input gives byte-equal output, whatever order the registry lists clusters in', async () => {
    const set = appSet({
      generators: [
        { clusters: { values: { a: '{{name}}' } } },
        { git: { repoURL: REPO, directories: [{ path: '*/*' }] } },
      ],
    });
    const first = await expandApplicationSet(set, ports(CLUSTERS));
    const second = await expandApplicationSet(set, ports([...CLUSTERS].reverse()));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it.each<[string, Partial<ApplicationSetSpec>, object]>([
    [
      'goTemplate: true',
      { goTemplate: true, generators: [{ list: { elements: [] } }] },
      {
        code: DomainErrorCode.Invalid,
        message:
          'spec.goTemplate: goTemplate: true is not supported yet; remove it to use the default renderer',
        generatorPath: null,
        generatorIndex: null,
      },
    ],
    [
      'templatePatch',
      { templatePatch: 'spec: {}', generators: [] },
      {
        code: DomainErrorCode.Invalid,
        message: 'spec.templatePatch: templatePatch is not supported yet',
        generatorIndex: null,
      },
    ],
    [
      'an entry without a generator',
      { generators: [{ list: { elements: [] } }, {}] },
      {
        code: DomainErrorCode.Invalid,
        message:
          'spec.generators[1]: no generator set; set one of list, clusters, git, matrix, merge',
        generatorPath: 'spec.generators[1]',
        generatorIndex: 1,
      },
    ],
    [
      'a render error, at the field of the template it came from',
      {
        generators: [
          { list: { elements: [{ name: 'a' }] } },
          {
            list: {
              elements: [{ name: 'b' }],
              template: { metadata: { annotations: { x: '{{name}} {{oops' } } },
            },
          },
        ],
      },
      {
        code: DomainErrorCode.Invalid,
        message:
          'spec.generators[1].list.template.metadata.annotations.x: unclosed "{{" at offset 9: no "}}" follows it',
        generatorPath: 'spec.generators[1]',
        generatorIndex: 1,
      },
    ],
    [
      'a Git failure in the second entry',
      {
        generators: [
          { list: { elements: [] } },
          { git: { repoURL: REPO, revision: 'gone', files: [{ path: '*.json' }] } },
        ],
      },
      {
        code: DomainErrorCode.Upstream,
        message: `spec.generators[1].git.revision: unable to resolve revision "gone" of ${REPO}: revision gone not found`,
        generatorPath: 'spec.generators[1]',
        generatorIndex: 1,
      },
    ],
  ])('throws a GenerationError for %s', async (_name, spec, expected) => {
    const error = await rejectionOf(expandApplicationSet(appSet(spec), ports()));
    expect(error).toMatchObject(expected);
    expect(error.name).toBe('GenerationError');
  });
});

function rawTemplate(): Pick<Application, 'metadata' | 'spec'> {
  const { metadata, spec } = appSet({}).spec.template;
  return { metadata: { ...metadata, namespace: 'argocd' } as Application['metadata'], spec };
}
