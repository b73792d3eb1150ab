/**
 * The examples of Argo CD's ApplicationSet documentation
 * (docs/operator-manual/applicationset/Generators-*.md), in the flat template
 * form (`{{cluster}}`, not `{{.cluster}}`) since goTemplate is not supported
 * yet, and with a literal project where the docs template it (refused,
 * semantics.md Part C1). Each must parse to exactly the data it holds.
 */
import { parse } from 'yaml';
import { ApplicationSet } from '../../argo/applicationset.types';
import { parseApplicationSets } from './parse-application-sets';

const LIST = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
  namespace: argocd
spec:
  generators:
  - list:
      elements:
      - cluster: engineering-dev
        url: https://1.2.3.4
      - cluster: engineering-prod
        url: https://2.4.6.8
        values:
          tier: gold
  template:
    metadata:
      name: '{{cluster}}-guestbook'
    spec:
      project: my-project
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: applicationset/examples/list-generator/guestbook/{{cluster}}
      destination:
        server: '{{url}}'
        namespace: guestbook
`;

const CLUSTERS = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
  - clusters:
      selector:
        matchLabels:
          staging: "true"
        matchExpressions:
          - key: environment
            operator: In
            values:
              - staging
              - dev
      values:
        revision: HEAD
  template:
    metadata:
      name: '{{name}}-guestbook'
    spec:
      project: "my-project"
      source:
        repoURL: https://github.com/argoproj/argocd-example-apps/
        targetRevision: '{{values.revision}}'
        path: guestbook
      destination:
        server: '{{server}}'
        namespace: guestbook
`;

const GIT_DIRECTORIES = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: cluster-addons
  namespace: argocd
spec:
  generators:
  - git:
      repoURL: https://github.com/argoproj/argo-cd.git
      revision: HEAD
      directories:
      - path: applicationset/examples/git-generator-directory/excludes/cluster-addons/*
      - path: applicationset/examples/git-generator-directory/excludes/cluster-addons/exclude-helm-guestbook
        exclude: true
  template:
    metadata:
      name: '{{path.basename}}'
    spec:
      project: "my-project"
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: '{{path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{path.basename}}'
      syncPolicy:
        automated: {}
        syncOptions:
        - CreateNamespace=true
`;

const GIT_FILES = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
  - git:
      repoURL: https://github.com/argoproj/argo-cd.git
      revision: HEAD
      files:
      - path: "applicationset/examples/git-generator-files-discovery/cluster-config/**/config.json"
      requeueAfterSeconds: 300
  template:
    metadata:
      name: '{{cluster.name}}-guestbook'
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: "applicationset/examples/git-generator-files-discovery/apps/guestbook"
      destination:
        server: '{{cluster.address}}'
        namespace: guestbook
`;

const MATRIX_GIT_CLUSTERS = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: cluster-git
spec:
  generators:
    - matrix:
        generators:
          - git:
              repoURL: https://github.com/argoproj/applicationset.git
              revision: HEAD
              files:
                - path: "examples/git-generator-files-discovery/cluster-config/**/config.json"
          - clusters:
              selector:
                matchLabels:
                  argocd.argoproj.io/secret-type: cluster
                  kubernetes.io/environment: '{{path.basename}}'
  template:
    metadata:
      name: '{{name}}-guestbook'
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/applicationset.git
        targetRevision: HEAD
        path: "examples/git-generator-files-discovery/apps/guestbook"
      destination:
        server: '{{server}}'
        namespace: guestbook
`;

const MERGE = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: cluster-git
spec:
  generators:
    - merge:
        mergeKeys:
          - server
        generators:
          - clusters:
              values:
                kafka: 'true'
                redis: 'false'
          - clusters:
              selector:
                matchLabels:
                  use-kafka: 'false'
              values:
                kafka: 'false'
          - list:
              elements:
                - server: https://2.4.6.8
                  values.redis: 'true'
  template:
    metadata:
      name: '{{name}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: app
        helm:
          parameters:
            - name: kafka
              value: '{{values.kafka}}'
            - name: redis
              value: '{{values.redis}}'
      destination:
        server: '{{server}}'
        namespace: default
`;

describe('Argo CD documentation examples', () => {
  it.each([
    ['list', LIST],
    ['clusters', CLUSTERS],
    ['git directories', GIT_DIRECTORIES],
    ['git files', GIT_FILES],
    ['matrix git × clusters with an interpolated selector', MATRIX_GIT_CLUSTERS],
    ['merge', MERGE],
  ])('%s parses to exactly the data it holds', (_, text) => {
    expect(parseApplicationSets(text, { source: 'example.yaml' })).toEqual({
      documents: [
        {
          applicationSet: parse(text),
          documentIndex: 0,
          line: 1,
          source: 'example.yaml',
        },
      ],
      problems: [],
      warnings: [],
      rejected: [],
    });
  });

  it('produces the typed ApplicationSet of the list example', () => {
    const expected: ApplicationSet = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'guestbook', namespace: 'argocd' },
      spec: {
        generators: [
          {
            list: {
              elements: [
                { cluster: 'engineering-dev', url: 'https://1.2.3.4' },
                { cluster: 'engineering-prod', url: 'https://2.4.6.8', values: { tier: 'gold' } },
              ],
            },
          },
        ],
        template: {
          metadata: { name: '{{cluster}}-guestbook' },
          spec: {
            project: 'my-project',
            source: {
              repoURL: 'https://github.com/argoproj/argo-cd.git',
              targetRevision: 'HEAD',
              path: 'applicationset/examples/list-generator/guestbook/{{cluster}}',
            },
            destination: { server: '{{url}}', namespace: 'guestbook' },
          },
        },
      },
    };
    expect(parseApplicationSets(LIST).documents[0].applicationSet).toStrictEqual(expected);
  });
});
