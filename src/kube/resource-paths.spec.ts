import { apiVersionOf, groupVersionPath, resourcePath } from './resource-paths';

describe(resourcePath.name, () => {
  const deployments = {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
  };
  const namespaces = {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
  };

  it.each([
    [deployments, 'prod', 'web', '/apis/apps/v1/namespaces/prod/deployments/web'],
    [deployments, 'prod', undefined, '/apis/apps/v1/namespaces/prod/deployments'],
    [deployments, undefined, undefined, '/apis/apps/v1/deployments'],
    [deployments, '', undefined, '/apis/apps/v1/deployments'],
    [namespaces, 'ignored', 'prod', '/api/v1/namespaces/prod'],
    [namespaces, undefined, undefined, '/api/v1/namespaces'],
    [deployments, 'a b', 'x/y', '/apis/apps/v1/namespaces/a%20b/deployments/x%2Fy'],
  ])('%o in %p named %p is %s', (type, namespace, name, expected) => {
    expect(resourcePath(type, namespace, name)).toBe(expected);
  });

  it('names group versions both ways', () => {
    expect(groupVersionPath('', 'v1')).toBe('/api/v1');
    expect(groupVersionPath('rbac.authorization.k8s.io', 'v1')).toBe(
      '/apis/rbac.authorization.k8s.io/v1',
    );
    expect(apiVersionOf('', 'v1')).toBe('v1');
    expect(apiVersionOf('apps', 'v1')).toBe('apps/v1');
  });
});
