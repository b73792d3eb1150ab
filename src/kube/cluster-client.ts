/**
 * The sync engine's client of one cluster: discovery (cached, refreshed when
 * an unknown kind appears), get, paginated list by label/field selector
 * across namespaces, server-side apply, delete with a propagation policy,
 * and the raw transport for watches. Objects are plain JSON both ways.
 * Every failure is a `KubeApiError` carrying a `FailureDescriptor`.
 */
import { KubeObject } from '../sync/manifests/kube-object';
import { ApiDiscovery } from './api-discovery';
import { KubeApiError, unknownKindFailure } from './kube-failure';
import { KubeTransport } from './kube-transport';
import { ResourceType, apiVersionOf, resourcePath } from './resource-paths';

/**
 * Field manager of every write Fleetplane makes, so `managedFields` tells its
 * changes apart from anyone else's.
 */
export const FIELD_MANAGER = 'fleetplane';

/** Names one object. */
export interface ObjectKey {
  readonly apiVersion: string;
  readonly kind: string;
  /** Ignored for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly name: string;
}

/** A page-complete list of one kind. */
export interface ObjectList {
  readonly items: KubeObject[];
  /** The list's resourceVersion, where a watch resumes. */
  readonly resourceVersion: string;
}

/** Options of `list`. */
export interface ListOptions {
  /** One namespace; absent or `''` lists across all namespaces. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly signal?: AbortSignal;
}

/** Kubernetes' deletion propagation policies. */
export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

const PAGE_SIZE = '500';

export class ClusterClient {
  constructor(
    /** The cluster's registered name. */
    readonly name: string,
    readonly transport: KubeTransport,
    readonly discovery: ApiDiscovery,
  ) {}

  /**
   * The resource type of `kind` in `apiVersion` (the version may be empty:
   * the group's preferred one). Rejects with an unknown-kind 404 failure
   * when the cluster does not serve it.
   */
  async resourceType(apiVersion: string, kind: string): Promise<ResourceType> {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const type = await this.discovery.resolve(group, version, kind);
    if (!type) throw new KubeApiError(unknownKindFailure(apiVersion || group, kind));
    return type;
  }

  /** The object, or null when it does not exist. */
  async get(key: ObjectKey, signal?: AbortSignal): Promise<KubeObject | null> {
    const type = await this.resourceType(key.apiVersion, key.kind);
    try {
      const answer = await this.transport.request({
        method: 'GET',
        verb: 'get',
        path: resourcePath(type, key.namespace, key.name),
        signal,
        what: `get ${describe(key)}`,
      });
      return JSON.parse(answer.body) as KubeObject;
    } catch (error) {
      if (error instanceof KubeApiError && error.isNotFound) return null;
      throw error;
    }
  }

  /** Every object of a type matching the options, following `continue` pages. */
  async list(type: ResourceType, options: ListOptions = {}): Promise<ObjectList> {
    const items: KubeObject[] = [];
    let resourceVersion = '';
    let token: string | undefined;
    const apiVersion = apiVersionOf(type.group, type.version);
    const where = options.namespace ? ` in ${options.namespace}` : '';
    do {
      const answer = await this.transport.request({
        method: 'GET',
        verb: 'list',
        path: resourcePath(type, options.namespace),
        query: {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          limit: PAGE_SIZE,
          continue: token,
        },
        signal: options.signal,
        what: `list ${type.kind}${where}`,
      });
      const page = JSON.parse(answer.body) as {
        items?: KubeObject[];
        metadata?: { resourceVersion?: string; continue?: string };
      };
      // List items carry no apiVersion/kind of their own; the pure modules need them.
      for (const item of page.items ?? []) items.push({ ...item, apiVersion, kind: type.kind });
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      token = page.metadata?.continue || undefined;
    } while (token);
    return { items, resourceVersion };
  }

  /**
   * Server-side apply of `object` as field manager `fleetplane` with
   * `force=true`. Force is deliberate, as Argo CD's `--force-conflicts`:
   * Git is the source of truth, so a field someone else took over with
   * `kubectl edit` must come back to the value in Git (self-heal would
   * otherwise stop at a conflict forever). Fields Fleetplane does not declare
   * stay with their owners. `dryRun` asks the server to validate and
   * default without persisting. Returns the object as the server has it.
   */
  async apply(
    object: KubeObject,
    options: { dryRun?: boolean; signal?: AbortSignal } = {},
  ): Promise<KubeObject> {
    const type = await this.resourceType(object.apiVersion, object.kind);
    const key = keyOf(object);
    const answer = await this.transport.request({
      method: 'PATCH',
      verb: 'patch',
      path: resourcePath(type, key.namespace, key.name),
      query: {
        fieldManager: FIELD_MANAGER,
        force: 'true',
        dryRun: options.dryRun ? 'All' : undefined,
      },
      // JSON is YAML: the apply endpoint takes either.
      contentType: 'application/apply-patch+yaml',
      body: JSON.stringify(object),
      signal: options.signal,
      what: `apply ${describe(key)}`,
    });
    // A new or changed CRD (or aggregated API) changes what the cluster serves.
    if (
      !options.dryRun &&
      (object.kind === 'CustomResourceDefinition' || object.kind === 'APIService')
    ) {
      this.discovery.invalidate();
    }
    return JSON.parse(answer.body) as KubeObject;
  }

  /**
   * Deletes an object with a propagation policy. Resolves `absent` when it
   * was already gone (a delete racing another delete is success).
   */
  async delete(
    key: ObjectKey,
    options: { propagationPolicy: PropagationPolicy; dryRun?: boolean; signal?: AbortSignal },
  ): Promise<'deleted' | 'absent'> {
    const type = await this.resourceType(key.apiVersion, key.kind);
    try {
      await this.transport.request({
        method: 'DELETE',
        verb: 'delete',
        path: resourcePath(type, key.namespace, key.name),
        query: { dryRun: options.dryRun ? 'All' : undefined },
        body: JSON.stringify({
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: options.propagationPolicy,
        }),
        signal: options.signal,
        what: `delete ${describe(key)}`,
      });
      return 'deleted';
    } catch (error) {
      if (error instanceof KubeApiError && error.isNotFound) return 'absent';
      throw error;
    }
  }

  /** Releases the connections. */
  close(): void {
    this.transport.close();
  }
}

/** The key of an object. */
export function keyOf(object: KubeObject): ObjectKey {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  };
}

/** `Deployment prod/web`, `Namespace prod`. */
export function describe(key: ObjectKey): string {
  return `${key.kind} ${key.namespace ? `${key.namespace}/` : ''}${key.name}`;
}
