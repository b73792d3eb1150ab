/**
 * The cluster registry: registration, relabelling and removal, each committed
 * together with its event. Credentials are encrypted before they reach the
 * repository and never leave this service except as a ClusterAccess for code
 * that talks to the cluster.
 */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../common/domain-error';
import { CredentialCipher } from '../crypto/credential-cipher';
import { matches } from '../labels/label-selector';
import { ClusterAccess } from '../kube/cluster-access';
import { Cluster } from './cluster.model';
import { ClusterChanges, ClusterRepository } from './cluster.repository';
import { ClusterCredentials, ParsedCredentials, credentialKinds } from './cluster-credentials';
import {
  parseLabelReplacement,
  parseRegisterRequest,
  parseUpdateRequest,
  RegisterClusterInput,
} from './cluster-input';
import { encodeContinue, parseListQuery } from './cluster-list-query';
import { selectKubeconfigContext } from './kubeconfig-import';

export interface ClusterPage {
  readonly items: Cluster[];
  /** Pass back as `continue` for the next page; null on the last page. */
  readonly continue: string | null;
}

@Injectable()
export class ClusterService {
  constructor(
    private readonly clusters: ClusterRepository,
    private readonly cipher: CredentialCipher,
  ) {}

  async register(body: unknown): Promise<Cluster> {
    return this.create(parseRegisterRequest(body));
  }

  /** Registers the cluster of one kubeconfig context, with the credentials embedded in it. */
  async importKubeconfig(body: unknown): Promise<Cluster> {
    const request = (body ?? {}) as Record<string, unknown>;
    const allowed = ['kubeconfig', 'context', 'name', 'labels', 'annotations', 'project'];
    const unknown = Object.keys(request).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) {
      throw DomainError.invalid(
        unknown.map((field) => ({
          field,
          rule: 'unknown-field',
          message: `unknown field; expected one of ${allowed.join(', ')}`,
        })),
      );
    }
    const selection = selectKubeconfigContext(request.kubeconfig, request.context);
    const input = parseRegisterRequest({
      name: request.name ?? selection.context,
      server: selection.server,
      labels: request.labels,
      annotations: request.annotations,
      project: request.project,
      credentials: selection.credentials,
    });
    return this.create(input);
  }

  async list(query: {
    selector?: unknown;
    limit?: unknown;
    continue?: unknown;
  }): Promise<ClusterPage> {
    const { selector, limit, afterName } = parseListQuery(query);
    const items: Cluster[] = [];
    let after = afterName;
    // SQL pre-filters exactly, but the pure matcher decides; refill if it ever disagrees.
    for (;;) {
      const batch = await this.clusters.list(selector, limit + 1 - items.length, after);
      const scanned = batch.slice(0, limit - items.length);
      items.push(...scanned.filter((cluster) => matches(selector, cluster.labels)));
      const more = batch.length > scanned.length;
      if (!more) return { items, continue: null };
      after = scanned[scanned.length - 1].name;
      if (items.length === limit) return { items, continue: encodeContinue(after) };
    }
  }

  async get(name: string): Promise<Cluster> {
    const cluster = await this.clusters.findByName(name);
    if (!cluster) throw DomainError.notFound('cluster', name);
    return cluster;
  }

  /** Merges labels/annotations (null removes a key) and replaces server, project or credentials. */
  async update(name: string, body: unknown): Promise<Cluster> {
    const input = parseUpdateRequest(body);
    return this.change(name, (current) => {
      const changes: ClusterChanges = {};
      if (input.server !== undefined && input.server !== current.server)
        changes.server = input.server;
      if (input.project !== undefined && input.project !== current.project)
        changes.project = input.project;
      if (input.labels) {
        const labels = mergeMap(current.labels, input.labels);
        if (!sameMap(labels, current.labels)) changes.labels = labels;
      }
      if (input.annotations) {
        const annotations = mergeMap(current.annotations, input.annotations);
        if (!sameMap(annotations, current.annotations)) changes.annotations = annotations;
      }
      if (input.credentials !== undefined)
        Object.assign(changes, this.sealCredentials(current.id, input.credentials));
      return changes;
    });
  }

  /** Replaces the whole label set. */
  async replaceLabels(name: string, body: unknown): Promise<Cluster> {
    const labels = parseLabelReplacement(body);
    return this.change(name, (current) => (sameMap(labels, current.labels) ? {} : { labels }));
  }

  async delete(name: string): Promise<void> {
    await this.clusters.transaction(async (tx) => {
      const current = await tx.lockByName(name);
      if (!current) throw DomainError.notFound('cluster', name);
      await tx.delete(current.id);
      await tx.appendEvent({
        type: 'Deleted',
        clusterId: current.id,
        clusterName: current.name,
        oldLabels: current.labels,
        newLabels: null,
        changes: [],
      });
    });
  }

  /** Decrypted connection details, for the code that calls the cluster. */
  async accessFor(
    cluster: Pick<Cluster, 'id' | 'server' | 'insecureSkipTLSVerify'>,
  ): Promise<ClusterAccess> {
    const sealed = await this.clusters.readCredentials(cluster.id);
    const credentials: ClusterCredentials = sealed
      ? JSON.parse(this.cipher.decrypt(sealed, cluster.id).toString('utf8'))
      : {};
    return {
      server: cluster.server,
      insecureSkipTLSVerify: cluster.insecureSkipTLSVerify,
      ...credentials,
    };
  }

  private async create(input: RegisterClusterInput): Promise<Cluster> {
    const id = randomUUID();
    return this.clusters.transaction(async (tx) => {
      const cluster = await tx.insert({
        id,
        name: input.name,
        server: input.server,
        labels: input.labels,
        annotations: input.annotations,
        project: input.project,
        ...this.sealCredentials(id, input.credentials),
      });
      await tx.appendEvent({
        type: 'Registered',
        clusterId: cluster.id,
        clusterName: cluster.name,
        oldLabels: null,
        newLabels: cluster.labels,
        changes: [],
      });
      return cluster;
    });
  }

  /** Locks the row, applies `decide`, and writes the row and its event only if something changed. */
  private async change(
    name: string,
    decide: (current: Cluster) => ClusterChanges,
  ): Promise<Cluster> {
    return this.clusters.transaction(async (tx) => {
      const current = await tx.lockByName(name);
      if (!current) throw DomainError.notFound('cluster', name);
      const changes = decide(current);
      const changed = changedFields(changes);
      if (changed.length === 0) return current;
      const updated = await tx.update(current.id, changes);
      await tx.appendEvent({
        type: 'Updated',
        clusterId: current.id,
        clusterName: current.name,
        oldLabels: current.labels,
        newLabels: updated.labels,
        changes: changed,
      });
      return updated;
    });
  }

  private sealCredentials(
    id: string,
    parsed: ParsedCredentials | null,
  ): Required<
    Pick<ClusterChanges, 'credentialsCiphertext' | 'credentialKinds' | 'insecureSkipTLSVerify'>
  > {
    if (!parsed)
      return { credentialsCiphertext: null, credentialKinds: [], insecureSkipTLSVerify: false };
    const kinds = credentialKinds(parsed.credentials);
    return {
      credentialsCiphertext: kinds.length
        ? this.cipher.encrypt(Buffer.from(JSON.stringify(parsed.credentials), 'utf8'), id)
        : null,
      credentialKinds: kinds,
      insecureSkipTLSVerify: parsed.insecureSkipTLSVerify,
    };
  }
}

function changedFields(changes: ClusterChanges): string[] {
  const fields = new Set<string>();
  for (const key of Object.keys(changes) as (keyof ClusterChanges)[]) {
    if (changes[key] === undefined) continue;
    fields.add(
      ['credentialsCiphertext', 'credentialKinds', 'insecureSkipTLSVerify'].includes(key)
        ? 'credentials'
        : key,
    );
  }
  return [...fields].sort();
}

function mergeMap(
  current: Record<string, string>,
  patch: Record<string, string | null>,
): Record<string, string> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && b[k] === a[k])
  );
}
