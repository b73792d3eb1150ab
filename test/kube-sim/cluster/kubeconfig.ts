/**
 * A kubeconfig with one cluster, user and context per virtual cluster, named
 * after it (`sim-0`, `sim-1`, ...), with the CA as base64 PEM
 * (`certificate-authority-data`) and the bearer token. Pure function.
 */
import { stringify } from 'yaml';

export interface KubeconfigEntry {
  readonly name: string;
  readonly server: string;
  readonly token: string;
  /** Base64 PEM of the CA; undefined for plain HTTP. */
  readonly caData?: string;
}

/** The kubeconfig YAML; the first entry is the current context. */
export function kubeconfigYaml(entries: readonly KubeconfigEntry[]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': entries[0]?.name ?? '',
    clusters: entries.map((e) => ({
      name: e.name,
      cluster: e.caData
        ? { server: e.server, 'certificate-authority-data': e.caData }
        : { server: e.server },
    })),
    users: entries.map((e) => ({ name: e.name, user: { token: e.token } })),
    contexts: entries.map((e) => ({
      name: e.name,
      context: { cluster: e.name, user: e.name, namespace: 'default' },
    })),
  });
}
