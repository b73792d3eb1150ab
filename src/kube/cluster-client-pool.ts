/**
 * One `ClusterClient` per cluster, created on first use and replaced when
 * the cluster's credentials or address change (the old connections are
 * closed), so every caller for a cluster shares its discovery cache and its
 * concurrency limit.
 */
import { createHash } from 'node:crypto';
import { ApiDiscovery } from './api-discovery';
import { ClusterAccess } from './cluster-access';
import { ClusterClient } from './cluster-client';
import { KubeTransport, RequestObserver, TransportSettings } from './kube-transport';

interface PoolEntry {
  readonly fingerprint: string;
  client?: Promise<ClusterClient>;
  /** The latest observer a caller named; requests report to it. */
  observer: RequestObserver | undefined;
}

/** Per-cluster clients with shared settings. */
export class ClusterClientPool {
  private readonly entries = new Map<string, PoolEntry>();

  constructor(private readonly settings: TransportSettings) {}

  /**
   * The client of cluster `name`, built from `access` (rebuilt when `access`
   * changed). `observer`, when given, is told about every request made to
   * the cluster from now on (the latest one given wins).
   */
  client(name: string, access: ClusterAccess, observer?: RequestObserver): Promise<ClusterClient> {
    const fingerprint = fingerprintOf(access);
    const existing = this.entries.get(name);
    if (existing?.client && existing.fingerprint === fingerprint) {
      if (observer) existing.observer = observer;
      return existing.client;
    }
    if (existing) void existing.client?.then((old) => old.close()).catch(() => undefined);
    const entry: PoolEntry = { fingerprint, observer };
    const client = KubeTransport.create(access, this.settings).then((transport) => {
      transport.observer = (verb, statusCode) => entry.observer?.(verb, statusCode);
      const discovery = new ApiDiscovery(async (path, accept) => {
        const answer = await transport.request({
          method: 'GET',
          verb: 'discovery',
          path,
          accept,
          what: `discover ${path}`,
        });
        return { body: answer.body, contentType: answer.contentType };
      });
      return new ClusterClient(name, transport, discovery);
    });
    // A client that could not be built is not cached: the next call tries again.
    client.catch(() => {
      if (this.entries.get(name)?.client === client) this.entries.delete(name);
    });
    entry.client = client;
    this.entries.set(name, entry);
    return client;
  }

  /** Closes and forgets the client of a removed cluster. */
  forget(name: string): void {
    const entry = this.entries.get(name);
    this.entries.delete(name);
    void entry?.client?.then((client) => client.close()).catch(() => undefined);
  }

  /** Closes every client. */
  closeAll(): void {
    for (const name of [...this.entries.keys()]) this.forget(name);
  }
}

// A pass asks for its cluster's client at every step; hashing the credentials (a CA bundle
// and a key, kilobytes) each time showed in profiles. Access objects are not changed in place.
const fingerprints = new WeakMap<ClusterAccess, string>();

function fingerprintOf(access: ClusterAccess): string {
  let fingerprint = fingerprints.get(access);
  if (fingerprint === undefined) {
    fingerprint = hashAccess(access);
    fingerprints.set(access, fingerprint);
  }
  return fingerprint;
}

function hashAccess(access: ClusterAccess): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        access.server,
        access.bearerToken ?? '',
        access.clientCertificateData ?? '',
        access.clientKeyData ?? '',
        access.caData ?? '',
        access.insecureSkipTLSVerify,
      ]),
    )
    .digest('hex');
}
