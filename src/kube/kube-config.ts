/**
 * The one place that imports @kubernetes/client-node (with its siblings in
 * this folder): builds a per-cluster KubeConfig from stored credentials and
 * bounds every request by a deadline.
 */
import { KubeConfig, RequestContext, ResponseContext } from '@kubernetes/client-node';
import { ClusterAccess } from './cluster-access';

/** A KubeConfig holding exactly one cluster, user and context. */
export function kubeConfigFor(access: ClusterAccess): KubeConfig {
  const kc = new KubeConfig();
  const base64 = (pem: string | undefined) =>
    pem ? Buffer.from(pem, 'utf8').toString('base64') : undefined;
  kc.loadFromOptions({
    clusters: [
      {
        name: 'target',
        server: access.server,
        caData: base64(access.caData),
        skipTLSVerify: access.insecureSkipTLSVerify,
      },
    ],
    users: [
      {
        name: 'fleetplane',
        token: access.bearerToken,
        certData: base64(access.clientCertificateData),
        keyData: base64(access.clientKeyData),
      },
    ],
    contexts: [{ name: 'target', cluster: 'target', user: 'fleetplane' }],
    currentContext: 'target',
  });
  return kc;
}

/** Middleware aborting a request after `timeoutMs` (client-node has no timeout of its own). */
export function deadline(timeoutMs: number) {
  return {
    pre: async (context: RequestContext) => {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      return context;
    },
    post: async (context: ResponseContext) => context,
  };
}
