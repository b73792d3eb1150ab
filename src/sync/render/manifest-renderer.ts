/**
 * The renderer of the sync engine (`ManifestRenderer`): resolves a source's
 * `targetRevision` through the mirror cache, renders the source at the
 * commit (plain directory, Kustomize, or Helm when installed), caches the
 * parsed output per (repository, commit, path, options) within a memory
 * bound, then normalises it for the Application and its cluster (namespaces,
 * tracking annotation) and fingerprints it.
 *
 * Errors: a `DomainError` for a source that cannot be rendered (bad
 * settings, missing tool, malformed manifests naming file and document and
 * line, never content), Git errors as the mirror cache raises them, and
 * `KubeApiError` when the cluster must be asked about a custom kind and
 * cannot answer. Never an empty result for a failure.
 */
import { Application, ApplicationSource } from '../../argo/application.types';
import { DomainError } from '../../common/domain-error';
import { DesiredState, ManifestRenderer, SyncCluster } from '../engine/engine.types';
import { NamespacedLookup, builtinIsNamespaced } from '../manifests/builtin-kinds';
import { canonicalJson, desiredStateHash } from '../manifests/content-hash';
import { compareRefs, parseApiVersion, refOf } from '../manifests/kube-object';
import { ManifestError } from '../manifests/manifest-problem';
import { normalizeDesiredObjects } from '../manifests/normalize-desired';
import { SourcedObject } from '../manifests/parse-manifests';
import { detectSourceType } from '../manifests/source-files';
import { filesUnder, renderDirectory } from './directory-source';
import { renderHelm } from './helm-source';
import { ToolRenderSettings, renderKustomize } from './kustomize-source';
import { RenderCache } from './render-cache';
import { KindQuery, RenderGit, ScopeResolver } from './render.types';
import { normalizeSourcePath } from './source-path';

/** Settings of the renderer. */
export interface SourceRendererOptions extends ToolRenderSettings {
  /** Memory bound of the rendered-output cache in bytes (0 disables it). */
  readonly cacheBytes: number;
}

export class SourceRenderer implements ManifestRenderer {
  private readonly cache: RenderCache<readonly SourcedObject[]>;

  constructor(
    private readonly git: RenderGit,
    private readonly scopes: ScopeResolver,
    private readonly options: SourceRendererOptions,
  ) {
    // Strings are UTF-16 in memory: twice the JSON length is a fair estimate of a parsed tree.
    this.cache = new RenderCache(
      options.cacheBytes,
      (objects) => JSON.stringify(objects).length * 2,
    );
  }

  /** Entries and estimated bytes of the render cache. */
  get cacheStats(): { entries: number; bytes: number } {
    return this.cache.stats;
  }

  async resolveRevision(source: ApplicationSource): Promise<string> {
    return this.git.resolveRevision(source.repoURL, source.targetRevision);
  }

  refreshRepository(repoURL: string): void {
    this.git.invalidate(repoURL);
  }

  async render(app: Application, revision: string, cluster: SyncCluster): Promise<DesiredState> {
    const source = singleSource(app);
    const parsed = await this.renderSource(app, source, revision);
    const isNamespaced = await this.scopeLookup(parsed, cluster);
    const normalized = normalizeDesiredObjects(parsed, {
      appName: app.metadata.name,
      destinationNamespace: app.spec.destination.namespace,
      isNamespaced,
    });
    if (normalized.problems.length > 0) throw new ManifestError(normalized.problems);
    const objects = normalized.objects
      .map((entry) => entry.object)
      .sort((a, b) => compareRefs(refOf(a), refOf(b)));
    return { revision, objects, hash: desiredStateHash(objects, writeOptionsOf(app)) };
  }

  private async renderSource(
    app: Application,
    source: ApplicationSource,
    sha: string,
  ): Promise<readonly SourcedObject[]> {
    const sourcePath = normalizeSourcePath(source.path);
    if ('problem' in sourcePath) throw DomainError.invalid([sourcePath.problem]);
    const root = sourcePath.path;
    const entries = await this.git.listTree(source.repoURL, sha);
    const files = filesUnder(entries, root);
    if (root && files.length === 0 && !source.chart) {
      throw DomainError.invalid([
        {
          field: 'spec.source.path',
          rule: 'exists',
          message: `${JSON.stringify(root)} does not exist in ${source.repoURL} at ${sha.slice(0, 12)}`,
        },
      ]);
    }
    const detected = detectSourceType(source, files);
    if ('problem' in detected) throw DomainError.invalid([detected.problem]);
    if (source.chart) {
      throw DomainError.invalid([
        {
          field: 'spec.source.chart',
          rule: 'unsupported',
          message:
            'charts from Helm repositories are not supported; keep the chart in Git and point spec.source.path at it',
        },
      ]);
    }
    const release = {
      name: app.metadata.name,
      namespace: app.spec.destination.namespace || 'default',
    };
    const key = canonicalJson({
      repo: source.repoURL,
      sha,
      path: root,
      type: detected.type,
      directory: detected.type === 'directory' ? (source.directory ?? null) : null,
      kustomize: detected.type === 'kustomize' ? (source.kustomize ?? null) : null,
      helm: detected.type === 'helm' ? { ...(source.helm ?? {}), release } : null,
    });
    return this.cache.get(key, async () => {
      switch (detected.type) {
        case 'directory':
          return renderDirectory(this.git, source.repoURL, sha, root, entries, source.directory);
        case 'kustomize':
          return renderKustomize(
            this.git,
            this.options,
            source.repoURL,
            sha,
            root,
            source.kustomize,
          );
        case 'helm':
          return renderHelm(
            this.git,
            this.options,
            source.repoURL,
            sha,
            root,
            source.helm,
            release,
          );
      }
    });
  }

  /**
   * Scope of every kind in the render: built-in kinds are known, CRDs in the
   * render declare their own scope, and only the remaining kinds are asked
   * of the cluster (so a plain app renders without touching the cluster).
   */
  private async scopeLookup(
    parsed: readonly SourcedObject[],
    cluster: SyncCluster,
  ): Promise<NamespacedLookup> {
    const declared = new Map<string, boolean>();
    for (const { object } of parsed) {
      if (object.kind !== 'CustomResourceDefinition') continue;
      if (parseApiVersion(object.apiVersion).group !== 'apiextensions.k8s.io') continue;
      const spec = object.spec as { group?: unknown; scope?: unknown; names?: { kind?: unknown } };
      if (typeof spec?.group === 'string' && typeof spec.names?.kind === 'string') {
        declared.set(`${spec.group}/${spec.names.kind}`, spec.scope !== 'Cluster');
      }
    }
    const unknown = new Map<string, KindQuery>();
    for (const { object } of parsed) {
      const ref = refOf(object);
      const key = `${ref.group}/${ref.kind}`;
      if (builtinIsNamespaced(ref) !== undefined || declared.has(key)) continue;
      unknown.set(key, { group: ref.group, version: ref.version, kind: ref.kind });
    }
    const fromCluster =
      unknown.size > 0 ? await this.scopes(cluster, [...unknown.values()]) : undefined;
    return (ref) => declared.get(`${ref.group}/${ref.kind}`) ?? fromCluster?.(ref);
  }
}

/** The options of an Application that change what a sync writes, for the desired-state hash. */
export function writeOptionsOf(app: Application): unknown {
  return {
    destination: app.spec.destination,
    syncOptions: app.spec.syncPolicy?.syncOptions ?? [],
    managedNamespaceMetadata: app.spec.syncPolicy?.managedNamespaceMetadata ?? null,
  };
}

function singleSource(app: Application): ApplicationSource {
  if (app.spec.source) return app.spec.source;
  throw DomainError.invalid([
    app.spec.sources
      ? {
          field: 'spec.sources',
          rule: 'unsupported',
          message: 'Applications with several sources are not supported yet; use spec.source',
        }
      : { field: 'spec.source', rule: 'required', message: 'is required' },
  ]);
}
