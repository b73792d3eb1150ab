/**
 * The one place that imports @kubernetes/client-node (with its siblings in
 * this folder): builds a per-cluster KubeConfig from stored credentials and
 * bounds every request by a deadline.
 */
import {
  ConfigurationOptions,
  KubeConfig,
  ObservableMiddleware,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';
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

/**
 * Request options that abort a call after `timeoutMs` (client-node has no
 * timeout of its own). Pass them as the SECOND argument of the object-
 * parameter API methods, `api.getCode({}, withDeadline(ms))`: the first
 * argument holds the request's parameters, and options given there are
 * silently ignored, which once left hanging clusters unbounded.
 */
export function withDeadline(timeoutMs: number): ConfigurationOptions<ObservableMiddleware> {
  return { middleware: [deadline(timeoutMs)], middlewareMergeStrategy: 'append' };
}

/**
 * The middleware behind `withDeadline`. The object-parameter APIs run
 * middleware in their observable form, so each hook returns an
 * observable-like value rather than a Promise.
 */
export function deadline(timeoutMs: number): ObservableMiddleware {
  return {
    pre: (context: RequestContext) => {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      return observableOf(context);
    },
    post: (context: ResponseContext) => observableOf(context),
  };
}

/** The minimal observable client-node's generated code consumes (`toPromise`). */
function observableOf<T>(
  value: T,
): ReturnType<ObservableMiddleware['post']> & ReturnType<ObservableMiddleware['pre']> {
  return { toPromise: () => Promise.resolve(value) } as never;
}
