import { VersionApi } from '@kubernetes/client-node';
import { ClusterAccess } from './cluster-access';
import { kubeConfigFor, withDeadline } from './kube-config';
import { describeKubeError } from './kube-errors';

/**
 * Calls the cluster's `/version` with its stored credentials and returns the
 * server's gitVersion. Throws an Error with a message safe to show (no credentials).
 */
export async function fetchServerVersion(
  access: ClusterAccess,
  timeoutMs: number,
): Promise<string> {
  const api = kubeConfigFor(access).makeApiClient(VersionApi);
  try {
    const info = await api.getCode({}, withDeadline(timeoutMs));
    return info.gitVersion;
  } catch (error) {
    throw new Error(describeKubeError(error, timeoutMs), { cause: error });
  }
}
