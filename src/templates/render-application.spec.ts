import { Application } from '../argo/application.types';
import { ApplicationTemplate } from '../argo/applicationset.types';
import { RenderApplicationOptions, renderApplication } from './render-application';

const template = (finalizers?: string[]): ApplicationTemplate => ({
  metadata: { name: '{{name}}', namespace: 'argocd', ...(finalizers ? { finalizers } : {}) },
  spec: { project: 'default', destination: { server: '{{server}}', namespace: 'apps' } },
});

const application = (finalizers?: string[]): Application => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'c1', namespace: 'argocd', ...(finalizers ? { finalizers } : {}) },
  spec: { project: 'default', destination: { server: 'https://c1', namespace: 'apps' } },
});

const params = { name: 'c1', server: 'https://c1' };
const DEFAULT = 'resources-finalizer.argocd.argoproj.io';

describe('renderApplication', () => {
  // TestRenderTemplateParamsFinalizers in argo-cd applicationset/utils.
  it.each<[string, string[] | undefined, RenderApplicationOptions, string[] | undefined]>([
    ['adds the default finalizer', undefined, {}, [DEFAULT]],
    [
      'adds it when preserveResourcesOnDeletion is false',
      undefined,
      { preserveResourcesOnDeletion: false },
      [DEFAULT],
    ],
    ['adds it to an empty list', [], {}, [DEFAULT]],
    [
      'omits it when resources are preserved',
      undefined,
      { preserveResourcesOnDeletion: true },
      undefined,
    ],
    ['keeps a template finalizer instead', ['existing'], {}, ['existing']],
    ['keeps a background variant', [`${DEFAULT}/background`], {}, [`${DEFAULT}/background`]],
    [
      'keeps template finalizers when preserving',
      ['existing'],
      { preserveResourcesOnDeletion: true },
      ['existing'],
    ],
  ])('%s', (_name, finalizers, options, expected) => {
    expect(renderApplication(template(finalizers), params, options)).toEqual({
      application: application(expected),
      warnings: [],
    });
  });

  it('returns the template untouched for an empty parameter set, as Argo does', () => {
    expect(renderApplication(template(), {}, {})).toEqual({
      application: {
        ...application(),
        metadata: { name: '{{name}}', namespace: 'argocd' },
        spec: { project: 'default', destination: { server: '{{server}}', namespace: 'apps' } },
      },
      warnings: [],
    });
  });

  it('reports unknown tags with their Application path', () => {
    const { warnings } = renderApplication(template(), { name: 'c1' }, {});
    expect(warnings).toEqual([
      {
        field: 'spec.destination.server',
        message: '{{server}} left as is: no parameter named "server"',
      },
    ]);
  });
});
