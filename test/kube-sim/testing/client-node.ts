/**
 * @kubernetes/client-node pointed at a kube-sim cluster, the way Fleetplane
 * builds its clients: a KubeConfig from the server URL, the CA data and the
 * bearer token. For kube-sim's own end-to-end specs.
 */
import {
  ApiException,
  ApiextensionsV1Api,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { VirtualCluster } from '../cluster/virtual-cluster';

/** An object addressed by name, as KubernetesObjectApi's read, replace and delete want it, with more members `T`. */
export type Named<T = unknown> = KubernetesObject & {
  metadata: { name: string; namespace?: string } & KubernetesObject['metadata'];
} & T;

/** A KubeConfig for one cluster; `token` overrides the cluster's own (for auth tests). */
export function kubeConfigFor(
  cluster: Pick<VirtualCluster, 'name' | 'server' | 'token' | 'caData'>,
  token = cluster.token,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: cluster.name, server: cluster.server, caData: cluster.caData, skipTLSVerify: false },
    ],
    users: [{ name: cluster.name, token }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: cluster.name }],
    currentContext: cluster.name,
  });
  return kc;
}

/** The generic object client for a cluster. */
export function objectClient(
  cluster: Pick<VirtualCluster, 'name' | 'server' | 'token' | 'caData'>,
  token?: string,
) {
  return KubernetesObjectApi.makeApiClient(kubeConfigFor(cluster, token));
}

/** The typed clients of a cluster, for verbs the generic object client cannot express (JSON patch). */
export function typedClients(
  cluster: Pick<VirtualCluster, 'name' | 'server' | 'token' | 'caData'>,
  token?: string,
) {
  const kc = kubeConfigFor(cluster, token);
  return {
    kc,
    objects: KubernetesObjectApi.makeApiClient(kc),
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    extensions: kc.makeApiClient(ApiextensionsV1Api),
  };
}

/** Request options that set the Content-Type of a patch. */
export function patchAs(strategy: (typeof PatchStrategy)[keyof typeof PatchStrategy]) {
  return setHeaderOptions('Content-Type', strategy);
}

/** The API error a promise rejects with: its HTTP code and Status body. */
export async function apiError(
  promise: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) {
      const body =
        typeof error.body === 'string'
          ? (JSON.parse(error.body) as Record<string, unknown>)
          : error.body;
      return { code: error.code, body: body as Record<string, unknown> };
    }
    throw error;
  }
  throw new Error('expected the request to fail');
}

export { PatchStrategy };
