import { helmTemplateArgs, helmValueFiles } from './helm-source';

describe(helmTemplateArgs.name, () => {
  it('renders the release into the namespace with value files, inline values and parameters in order', () => {
    expect(
      helmTemplateArgs({
        releaseName: 'web',
        namespace: 'prod',
        chartDir: '/w/tree/charts/web',
        valueFiles: ['/w/tree/charts/web/values-prod.yaml'],
        inlineValuesFile: '/w/inline-values.yaml',
        parameters: [
          { name: 'image.tag', value: '1.2' },
          { name: 'version', value: '010', forceString: true },
        ],
      }),
    ).toEqual([
      'template',
      'web',
      '/w/tree/charts/web',
      '--namespace',
      'prod',
      '--include-crds',
      '--values',
      '/w/tree/charts/web/values-prod.yaml',
      '--values',
      '/w/inline-values.yaml',
      '--set',
      'image.tag=1.2',
      '--set-string',
      'version=010',
    ]);
  });
});

describe(helmValueFiles.name, () => {
  it('resolves value files against the chart and keeps them in the repository', () => {
    expect(
      helmValueFiles('charts/web', {
        valueFiles: ['values-prod.yaml', '../shared/values.yaml', '/envs/prod.yaml'],
      }),
    ).toEqual({
      files: [
        { path: 'charts/web/values-prod.yaml' },
        { path: 'charts/shared/values.yaml' },
        { path: 'envs/prod.yaml' },
      ],
      problems: [],
    });
  });

  it('refuses URLs and paths leaving the repository', () => {
    expect(
      helmValueFiles('charts/web', {
        valueFiles: ['https://example.com/values.yaml', '../../../etc/passwd'],
      }).problems.map((p) => `${p.field} ${p.rule}`),
    ).toEqual([
      'spec.source.helm.valueFiles[0] git-only',
      'spec.source.helm.valueFiles[1] relative-path',
    ]);
  });
});

describe(`${helmValueFiles.name} with $<ref>`, () => {
  it("reads $<ref>/... from the root of the source with that ref, and the rest from the chart's repository", () => {
    expect(
      helmValueFiles(
        'charts/web',
        { valueFiles: ['$values/envs/prod/values.yaml', 'values.yaml', '$values/./a/../b.yaml'] },
        new Set(['values']),
      ),
    ).toEqual({
      files: [
        { path: 'envs/prod/values.yaml', ref: 'values' },
        { path: 'charts/web/values.yaml' },
        { path: 'b.yaml', ref: 'values' },
      ],
      problems: [],
    });
  });

  it('refuses an unknown ref, a path leaving it, and the bare root', () => {
    expect(
      helmValueFiles(
        'charts/web',
        { valueFiles: ['$other/values.yaml', '$values/../../x.yaml', '$values', '$values/'] },
        new Set(['values']),
      ).problems.map((p) => `${p.field} ${p.rule}: ${p.message}`),
    ).toEqual([
      'spec.source.helm.valueFiles[0] ref: no source of the Application has ref "other" (known: values)',
      'spec.source.helm.valueFiles[1] relative-path: must stay inside the repository',
      'spec.source.helm.valueFiles[2] file: must name a file, not the repository root',
      'spec.source.helm.valueFiles[3] file: must name a file, not the repository root',
    ]);
  });
});
