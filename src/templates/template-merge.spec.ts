import { ApplicationTemplate, PartialApplicationTemplate } from '../argo/applicationset.types';
import { mergeGeneratorTemplate } from './template-merge';

const base: ApplicationTemplate = {
  metadata: {
    name: '{{name}}-base',
    labels: { team: 'core', env: 'base' },
    finalizers: ['base-finalizer'],
  },
  spec: {
    project: 'default',
    source: {
      repoURL: 'https://git.example/base.git',
      targetRevision: 'main',
      path: 'base',
      helm: { valuesObject: { a: 1, b: { c: 2 } }, valueFiles: ['base.yaml'] },
    },
    destination: { server: '{{server}}', namespace: 'base-ns' },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=true'],
    },
  },
};

describe('mergeGeneratorTemplate', () => {
  it('returns a copy of spec.template when the generator has no template', () => {
    const merged = mergeGeneratorTemplate(undefined, base);
    expect(merged).toEqual(base);
    expect(merged).not.toBe(base);
  });

  it.each<[string, PartialApplicationTemplate, ApplicationTemplate]>([
    [
      'generator fields win; empty ones are filled; maps merge key by key',
      {
        metadata: { name: '{{name}}-gen', labels: { env: 'gen', extra: 'x' } },
        spec: { source: { repoURL: 'https://git.example/gen.git', path: '' } },
      },
      {
        ...base,
        metadata: {
          ...base.metadata,
          name: '{{name}}-gen',
          labels: { team: 'core', env: 'gen', extra: 'x' },
        },
        spec: {
          ...base.spec,
          source: { ...base.spec.source!, repoURL: 'https://git.example/gen.git' },
        },
      },
    ],
    [
      'a non-empty list replaces the base list whole; an empty one is filled',
      { metadata: { finalizers: [] }, spec: { syncPolicy: { syncOptions: ['Prune=false'] } } },
      {
        ...base,
        spec: {
          ...base.spec,
          syncPolicy: { ...base.spec.syncPolicy, syncOptions: ['Prune=false'] },
        },
      },
    ],
    [
      'false and 0 count as empty (mergo), so a generator cannot turn a base true off',
      { spec: { syncPolicy: { automated: { prune: false } }, revisionHistoryLimit: 0 } },
      base,
    ],
    [
      'raw JSON (helm.valuesObject) is atomic: the generator value replaces the base value',
      { spec: { source: { repoURL: '', helm: { valuesObject: { b: { d: 3 } } } } } },
      {
        ...base,
        spec: {
          ...base.spec,
          source: {
            ...base.spec.source!,
            helm: { valuesObject: { b: { d: 3 } }, valueFiles: ['base.yaml'] },
          },
        },
      },
    ],
  ])('%s', (_name, generatorTemplate, expected) => {
    const before = structuredClone(generatorTemplate);
    expect(mergeGeneratorTemplate(generatorTemplate, base)).toEqual(expected);
    expect(generatorTemplate).toEqual(before);
  });
});
