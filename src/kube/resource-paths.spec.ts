import { apiVersionOf, groupVersionPath, requestTarget, resourcePath } from './resource-paths';

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

describe(requestTarget.name, () => {
  /** What the transport wrote before: a URL per request. */
  const byUrl = (base: string, path: string, query?: Record<string, string | undefined>) => {
    const url = new URL(base);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined) url.searchParams.set(key, value);
    return `${url.pathname}${url.search}`;
  };

  it.each([
    ['https://10.0.0.1:6443', '/apis/apps/v1/namespaces/prod/deployments/web', undefined],
    [
      'https://k8s.example.com/clusters/c7/',
      '/api/v1/namespaces/prod/configmaps',
      { limit: '500' },
    ],
    [
      'https://k8s.example.com/proxy',
      '/api/v1/pods',
      { labelSelector: 'app in (a,b),tier!=db', continue: undefined, fieldSelector: 'a=b' },
    ],
    ['https://h', '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:controller:x', {}],
    ['https://h', '/api/v1/namespaces/a b/configmaps/é"<>`{}', { q: 'ü & =' }],
    ['https://h', '/api/v1/namespaces/a\\b/configmaps/[x]^|~%41', undefined],
  ])('writes %s%s as the URL class does', (base, path, query) => {
    const basePath = new URL(base).pathname.replace(/\/+$/, '');
    expect(requestTarget(basePath, path, query)).toBe(byUrl(base, path, query));
  });
});
