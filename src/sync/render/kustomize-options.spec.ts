import { parseImageOverride } from './kustomize-images';
import { applyKustomizeOptions, hasKustomizeEdits } from './kustomize-options';

const none = () => false;

describe(parseImageOverride.name, () => {
  it.each([
    ['nginx:1.25', { name: 'nginx', newTag: '1.25' }],
    [
      'nginx=registry.local/nginx:1.27',
      { name: 'nginx', newName: 'registry.local/nginx', newTag: '1.27' },
    ],
    ['nginx@sha256:abc', { name: 'nginx', digest: 'sha256:abc' }],
    ['nginx=mirror/nginx', { name: 'nginx', newName: 'mirror/nginx' }],
    ['localhost:5000/app:v1', { name: 'localhost:5000/app', newTag: 'v1' }],
    ['app=localhost:5000/app', { name: 'app', newName: 'localhost:5000/app' }],
    ['nginx', undefined],
    ['=x:1', undefined],
  ])('%s', (text, expected) => {
    expect(parseImageOverride(text)).toEqual(expected);
  });
});

describe(applyKustomizeOptions.name, () => {
  it('sets prefix, suffix and namespace, and merges images and replicas by name', () => {
    const result = applyKustomizeOptions(
      {
        resources: ['a.yaml'],
        namePrefix: 'old-',
        images: [{ name: 'nginx', newTag: '1.0', digest: 'sha256:old' }],
        replicas: [{ name: 'web', count: 1 }],
      },
      {
        namePrefix: 'new-',
        nameSuffix: '-x',
        namespace: 'prod',
        images: ['nginx:1.25', 'redis=mirror/redis:7'],
        replicas: [
          { name: 'web', count: 3 },
          { name: 'api', count: '2' },
        ],
      },
      none,
    );
    expect(result.problems).toEqual([]);
    expect(result.document).toEqual({
      resources: ['a.yaml'],
      namePrefix: 'new-',
      nameSuffix: '-x',
      namespace: 'prod',
      images: [
        { name: 'nginx', newTag: '1.25' },
        { name: 'redis', newName: 'mirror/redis', newTag: '7' },
      ],
      replicas: [
        { name: 'web', count: 3 },
        { name: 'api', count: 2 },
      ],
    });
  });

  it('adds labels and annotations, refusing to override an existing key unless forced', () => {
    const base = { commonLabels: { tier: 'web' }, commonAnnotations: { owner: 'a' } };
    const refused = applyKustomizeOptions(
      base,
      { commonLabels: { tier: 'api' }, commonAnnotations: { owner: 'b' } },
      none,
    );
    expect(refused.problems.map((p) => p.field)).toEqual([
      'spec.source.kustomize.commonLabels.tier',
      'spec.source.kustomize.commonAnnotations.owner',
    ]);
    const forced = applyKustomizeOptions(
      base,
      {
        commonLabels: { tier: 'api', team: 'x' },
        forceCommonLabels: true,
        commonAnnotations: { owner: 'b' },
        forceCommonAnnotations: true,
      },
      none,
    );
    expect(forced.problems).toEqual([]);
    expect(forced.document).toEqual({
      commonLabels: { tier: 'api', team: 'x' },
      commonAnnotations: { owner: 'b' },
    });
  });

  it('writes labels without selectors as a labels entry', () => {
    expect(
      applyKustomizeOptions(
        {},
        { commonLabels: { team: 'x' }, labelWithoutSelector: true, labelIncludeTemplates: true },
        none,
      ).document,
    ).toEqual({
      labels: [{ pairs: { team: 'x' }, includeSelectors: false, includeTemplates: true }],
    });
  });

  it('adds existing components, and refuses a missing one unless told to ignore it', () => {
    const exists = (path: string) => path === '../components/a';
    expect(
      applyKustomizeOptions({}, { components: ['../components/a', '../components/b'] }, exists)
        .problems,
    ).toEqual([
      expect.objectContaining({ field: 'spec.source.kustomize.components[1]', rule: 'exists' }),
    ]);
    expect(
      applyKustomizeOptions(
        { components: ['../components/a'] },
        { components: ['../components/a', '../components/b'], ignoreMissingComponents: true },
        exists,
      ),
    ).toEqual({ document: { components: ['../components/a'] }, problems: [] });
  });

  it('appends patches and refuses one with neither path nor patch', () => {
    const result = applyKustomizeOptions(
      { patches: [{ path: 'p.yaml' }] },
      { patches: [{ patch: '- op: add', target: { kind: 'Deployment' } }, { target: {} }] },
      none,
    );
    expect(result.document.patches).toEqual([
      { path: 'p.yaml' },
      { patch: '- op: add', target: { kind: 'Deployment' } },
    ]);
    expect(result.problems.map((p) => p.field)).toEqual(['spec.source.kustomize.patches[1]']);
  });

  it('refuses options it cannot honour and names unknown ones, ignoring empty values', () => {
    const result = applyKustomizeOptions(
      {},
      {
        version: 'v5',
        kubeVersion: '',
        apiVersions: [],
        commonAnnotationsEnvsubst: true,
        labels: { a: 'b' },
        images: ['nope'],
      },
      none,
    );
    expect(result.problems.map((p) => `${p.field} ${p.rule}`)).toEqual([
      'spec.source.kustomize.version unsupported',
      'spec.source.kustomize.commonAnnotationsEnvsubst unsupported',
      'spec.source.kustomize.labels unknown-option',
      'spec.source.kustomize.images[0] image',
    ]);
  });

  it('does not change its input', () => {
    const input = { images: [{ name: 'nginx' }] };
    applyKustomizeOptions(input, { images: ['nginx:2'] }, none);
    expect(input).toEqual({ images: [{ name: 'nginx' }] });
  });
});

describe(hasKustomizeEdits.name, () => {
  it.each([
    [undefined, false],
    [{}, false],
    [{ namePrefix: '', images: [], commonLabels: {}, forceCommonLabels: false }, false],
    [{ namePrefix: 'x-' }, true],
    [{ images: ['a:1'] }, true],
  ])('%o → %p', (options, expected) => {
    expect(hasKustomizeEdits(options)).toBe(expected);
  });
});
