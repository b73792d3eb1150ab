/**
 * A cluster's API discovery, cached: which kinds exist, whether they are
 * namespaced, their plural and the preferred version of each group. Read
 * with aggregated discovery (two requests, `/api` and `/apis`, as kubectl
 * 1.30+ does) and, when the server does not offer it, the legacy documents
 * (`/api/v1`, `/apis`, then `/apis/{group}/{version}` on demand).
 *
 * A kind that is not in the cache triggers a refresh (a CRD applied a
 * moment ago), at most once per `minRefreshMs` and shared by concurrent
 * callers, so a manifest naming a kind that really does not exist does not
 * turn every call into a discovery storm.
 */
import { ResourceType, groupVersionPath } from './resource-paths';

/** Reads a discovery document: body and content type. */
export type DiscoveryFetch = (
  path: string,
  accept: string,
) => Promise<{ body: string; contentType: string }>;

const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' +
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,' +
  'application/json';

interface GroupInfo {
  /** Served versions, preferred first. */
  readonly versions: string[];
}

/** The discovery cache of one cluster. */
export class ApiDiscovery {
  private groups = new Map<string, GroupInfo>();
  /** By `group/version`; a version missing here is loaded on demand (legacy servers). */
  private resources = new Map<string, ResourceType[]>();
  private loadedAt = -Infinity;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly fetch: DiscoveryFetch,
    private readonly minRefreshMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The resource type serving `kind` in `group` (at `version`, or the
   * group's preferred version when `version` is empty), refreshing the cache
   * once when it is unknown. Undefined when the cluster does not serve it.
   */
  async resolve(group: string, version: string, kind: string): Promise<ResourceType | undefined> {
    if (this.loadedAt === -Infinity) await this.refresh();
    let found = await this.lookup(group, version, kind);
    if (!found && this.now() - this.loadedAt >= this.minRefreshMs) {
      await this.refresh();
      found = await this.lookup(group, version, kind);
    }
    return found;
  }

  /** Forces the next `resolve` of an unknown kind to refresh at once (after applying a CRD). */
  invalidate(): void {
    this.loadedAt = Math.min(this.loadedAt, this.now() - this.minRefreshMs);
  }

  /**
   * Whether a kind is namespaced, from the cache only (no I/O): undefined
   * when the cache does not know it. Any version of the group will do, scope
   * does not change between versions.
   */
  isNamespacedCached(group: string, kind: string): boolean | undefined {
    for (const [key, types] of this.resources) {
      if (!key.startsWith(`${group}/`)) continue;
      const type = types.find((t) => t.kind === kind);
      if (type) return type.namespaced;
    }
    return undefined;
  }

  /** Reloads the cache (single-flight). */
  refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async lookup(group: string, version: string, kind: string) {
    const info = this.groups.get(group);
    if (!info) return undefined;
    const wanted = version || info.versions[0];
    if (!info.versions.includes(wanted)) return undefined;
    const key = `${group}/${wanted}`;
    if (!this.resources.has(key)) await this.loadGroupVersion(group, wanted);
    return this.resources.get(key)?.find((type) => type.kind === kind);
  }

  private async load(): Promise<void> {
    const core = await this.fetch('/api', AGGREGATED_ACCEPT);
    const named = await this.fetch('/apis', AGGREGATED_ACCEPT);
    const groups = new Map<string, GroupInfo>();
    const resources = new Map<string, ResourceType[]>();
    for (const answer of [core, named]) {
      const document = JSON.parse(answer.body) as Record<string, unknown>;
      if (document.kind === 'APIGroupDiscoveryList') {
        readAggregated(document, groups, resources);
      } else if (document.kind === 'APIGroupList') {
        readGroupList(document, groups);
      } else if (document.kind === 'APIVersions') {
        groups.set('', { versions: ['v1'] });
      }
    }
    this.groups = groups;
    this.resources = resources;
    this.loadedAt = this.now();
  }

  private async loadGroupVersion(group: string, version: string): Promise<void> {
    const answer = await this.fetch(groupVersionPath(group, version), 'application/json');
    const document = JSON.parse(answer.body) as { resources?: unknown };
    const types: ResourceType[] = [];
    for (const entry of Array.isArray(document.resources) ? document.resources : []) {
      const resource = entry as { name?: unknown; kind?: unknown; namespaced?: unknown };
      if (typeof resource.name !== 'string' || resource.name.includes('/')) continue;
      if (typeof resource.kind !== 'string') continue;
      types.push({
        group,
        version,
        kind: resource.kind,
        plural: resource.name,
        namespaced: resource.namespaced === true,
      });
    }
    this.resources.set(`${group}/${version}`, types);
  }
}

function readAggregated(
  document: Record<string, unknown>,
  groups: Map<string, GroupInfo>,
  resources: Map<string, ResourceType[]>,
): void {
  for (const item of Array.isArray(document.items) ? document.items : []) {
    const entry = item as { metadata?: { name?: string }; versions?: unknown[] };
    const group = entry.metadata?.name ?? '';
    const versions: string[] = [];
    for (const v of entry.versions ?? []) {
      const served = v as { version?: string; resources?: unknown[] };
      if (typeof served.version !== 'string') continue;
      versions.push(served.version);
      const types: ResourceType[] = [];
      for (const r of served.resources ?? []) {
        const resource = r as {
          resource?: string;
          scope?: string;
          responseKind?: { kind?: string };
        };
        if (!resource.resource || !resource.responseKind?.kind) continue;
        types.push({
          group,
          version: served.version,
          kind: resource.responseKind.kind,
          plural: resource.resource,
          namespaced: resource.scope === 'Namespaced',
        });
      }
      resources.set(`${group}/${served.version}`, types);
    }
    groups.set(group, { versions });
  }
}

function readGroupList(document: Record<string, unknown>, groups: Map<string, GroupInfo>): void {
  for (const item of Array.isArray(document.groups) ? document.groups : []) {
    const group = item as {
      name?: string;
      versions?: { version?: string }[];
      preferredVersion?: { version?: string };
    };
    if (typeof group.name !== 'string') continue;
    const versions = (group.versions ?? [])
      .map((v) => v.version)
      .filter((v): v is string => typeof v === 'string');
    const preferred = group.preferredVersion?.version;
    const ordered = preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions;
    groups.set(group.name, { versions: ordered });
  }
}
