import { ApiDiscovery, DiscoveryFetch } from './api-discovery';

const aggregated = (items: unknown[]) => ({
  body: JSON.stringify({ kind: 'APIGroupDiscoveryList', items }),
  contentType: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
});

const resource = (plural: string, kind: string, scope: 'Namespaced' | 'Cluster') => ({
  resource: plural,
  responseKind: { kind },
  scope,
});

describe(ApiDiscovery.name, () => {
  it('reads aggregated discovery with the preferred version first', async () => {
    const fetch: DiscoveryFetch = async (path) =>
      path === '/api'
        ? aggregated([
            {
              metadata: {},
              versions: [
                { version: 'v1', resources: [resource('namespaces', 'Namespace', 'Cluster')] },
              ],
            },
          ])
        : aggregated([
            {
              metadata: { name: 'autoscaling' },
              versions: [
                {
                  version: 'v2',
                  resources: [
                    resource('horizontalpodautoscalers', 'HorizontalPodAutoscaler', 'Namespaced'),
                  ],
                },
                {
                  version: 'v1',
                  resources: [
                    resource('horizontalpodautoscalers', 'HorizontalPodAutoscaler', 'Namespaced'),
                  ],
                },
              ],
            },
          ]);
    const sut = new ApiDiscovery(fetch);
    expect(await sut.resolve('', 'v1', 'Namespace')).toEqual({
      group: '',
      version: 'v1',
      kind: 'Namespace',
      plural: 'namespaces',
      namespaced: false,
    });
    expect(await sut.resolve('autoscaling', '', 'HorizontalPodAutoscaler')).toMatchObject({
      version: 'v2',
    });
    expect(await sut.resolve('autoscaling', 'v1', 'HorizontalPodAutoscaler')).toMatchObject({
      version: 'v1',
    });
    expect(sut.isNamespacedCached('', 'Namespace')).toBe(false);
    expect(sut.isNamespacedCached('example.com', 'Widget')).toBeUndefined();
  });

  it('reads legacy discovery, loading group versions on demand', async () => {
    const paths: string[] = [];
    const fetch: DiscoveryFetch = async (path) => {
      paths.push(path);
      const documents: Record<string, unknown> = {
        '/api': { kind: 'APIVersions', versions: ['v1'] },
        '/apis': {
          kind: 'APIGroupList',
          groups: [
            {
              name: 'apps',
              versions: [{ version: 'v1' }],
              preferredVersion: { version: 'v1' },
            },
          ],
        },
        '/apis/apps/v1': {
          resources: [
            { name: 'deployments', kind: 'Deployment', namespaced: true },
            { name: 'deployments/status', kind: 'Deployment', namespaced: true },
          ],
        },
      };
      return { body: JSON.stringify(documents[path] ?? {}), contentType: 'application/json' };
    };
    const sut = new ApiDiscovery(fetch);
    expect(await sut.resolve('apps', 'v1', 'Deployment')).toMatchObject({
      plural: 'deployments',
      namespaced: true,
    });
    expect(paths).toEqual(['/api', '/apis', '/apis/apps/v1']);
  });

  it('refreshes once for an unknown kind, then not again within the interval', async () => {
    let now = 0;
    let loads = 0;
    let served: unknown[] = [];
    const fetch: DiscoveryFetch = async (path) => {
      if (path === '/apis') loads++;
      return path === '/api' ? aggregated([]) : aggregated(served);
    };
    const sut = new ApiDiscovery(fetch, 1_000, () => now);
    expect(await sut.resolve('example.com', 'v1', 'Widget')).toBeUndefined();
    expect(loads).toBe(1);
    now = 500;
    expect(await sut.resolve('example.com', 'v1', 'Widget')).toBeUndefined();
    expect(loads).toBe(1);
    served = [
      {
        metadata: { name: 'example.com' },
        versions: [{ version: 'v1', resources: [resource('widgets', 'Widget', 'Namespaced')] }],
      },
    ];
    sut.invalidate();
    expect(await sut.resolve('example.com', 'v1', 'Widget')).toMatchObject({ plural: 'widgets' });
    expect(loads).toBe(2);
  });
});
