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
      files: ['charts/web/values-prod.yaml', 'charts/shared/values.yaml', 'envs/prod.yaml'],
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
