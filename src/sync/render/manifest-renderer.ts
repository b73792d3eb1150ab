/**
 * The renderer of the sync engine (`ManifestRenderer`): resolves a source's
 * `targetRevision` through the mirror cache, renders the source at the
 * commit (plain directory, Kustomize, or Helm when installed), caches the
 * parsed output per (repository, commit, path, options) within a memory
 * bound, then normalises it for the Application and its cluster (namespaces,
 * tracking annotation) and fingerprints it.
 *
 * An Application with `spec.sources` renders each source at its own commit
 * (the revision names one per source, see `application-sources.ts`) and
 * combines the objects; a source with `ref` and no `path` renders nothing
 * and lends its files to Helm value files (`$<ref>/...`). As in Argo CD,
 * when two sources produce the same object the later one wins, and the
 * Application gets a `RepeatedResourceWarning`.
 *
 * Errors: a `DomainError` for a source that cannot be rendered (bad
 * settings, missing tool, malformed manifests naming file and document and
 * line, never content), Git errors as the mirror cache raises them, and
 * `KubeApiError` when the cluster must be asked about a custom kind and
 * cannot answer. Never an empty result for a failure.
 */
import {
  hasMultipleSources,
  isReferenceOnly,
  referenceProblems,
  sourceField,
  sourcesOf,
  splitRevision,
} from '../../argo/application-sources';
import { Application, ApplicationSource } from '../../argo/application.types';
import { DomainError } from '../../common/domain-error';
import { DesiredState, ManifestRenderer, SyncCluster } from '../engine/engine.types';
import { NamespacedLookup, builtinIsNamespaced } from '../manifests/builtin-kinds';
import { canonicalJson, desiredStateHash } from '../manifests/content-hash';
import {
  KubeObject,
  compareRefs,
  formatRef,
  parseApiVersion,
  refKey,
  refOf,
} from '../manifests/kube-object';
import { ManifestError } from '../manifests/manifest-problem';
import { normalizeDesiredObjects } from '../manifests/normalize-desired';
import { SourcedObject } from '../manifests/parse-manifests';
import { detectSourceType } from '../manifests/source-files';
import { filesUnder, renderDirectory } from './directory-source';
import { ReferencedTree, helmValueFiles, renderHelm } from './helm-source';
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
    const parts = await this.renderSources(app, revision);
    const isNamespaced = await this.scopeLookup(
      parts.flatMap((part) => part.parsed),
      cluster,
    );
    // Each source is normalised on its own: within one, an object declared twice is an error;
    // across sources, the later one wins (Argo CD's rule for several sources).
    const byRef = new Map<string, KubeObject>();
    const repeated: string[] = [];
    for (const { field, parsed } of parts) {
      const normalized = normalizeDesiredObjects(parsed, {
        appName: app.metadata.name,
        destinationNamespace: app.spec.destination.namespace,
        isNamespaced,
      });
      if (normalized.problems.length > 0) {
        throw namingSource(field, new ManifestError(normalized.problems));
      }
      for (const { object } of normalized.objects) {
        const ref = refOf(object);
        const key = refKey(ref);
        if (byRef.has(key)) repeated.push(formatRef(ref));
        byRef.set(key, object);
      }
    }
    const objects = [...byRef.values()].sort((a, b) => compareRefs(refOf(a), refOf(b)));
    return {
      revision,
      objects,
      hash: desiredStateHash(objects, writeOptionsOf(app)),
      ...(repeated.length > 0 ? { warnings: [repeatedResourceWarning(repeated)] } : {}),
    };
  }

  /**
   * The parsed objects of each source at its commit, in source order, with
   * the field naming the source (absent for `spec.source`).
   */
  private async renderSources(
    app: Application,
    revision: string,
  ): Promise<{ field?: string; parsed: readonly SourcedObject[] }[]> {
    const sources = sourcesOf(app);
    if (sources.length === 0) {
      throw DomainError.invalid([
        { field: 'spec.source', rule: 'required', message: 'is required' },
      ]);
    }
    if (!hasMultipleSources(app)) {
      return [{ parsed: await this.renderSource(app, sources[0], revision) }];
    }
    const split = splitRevision(revision, sources.length);
    if ('problem' in split) throw DomainError.invalid([split.problem]);
    const problems = referenceProblems(app);
    if (problems.length > 0) throw DomainError.invalid(problems);
    const refs = new Map<string, ReferencedTree>();
    sources.forEach((source, index) => {
      if (source.ref) refs.set(source.ref, { repoURL: source.repoURL, sha: split.shas[index] });
    });
    return Promise.all(
      sources.map(async (source, index) => {
        const field = sourceField(app, index);
        if (isReferenceOnly(source)) return { field, parsed: [] };
        try {
          return { field, parsed: await this.renderSource(app, source, split.shas[index], refs) };
        } catch (error) {
          throw namingSource(field, error);
        }
      }),
    );
  }

  private async renderSource(
    app: Application,
    source: ApplicationSource,
    sha: string,
    refs: ReadonlyMap<string, ReferencedTree> = new Map(),
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
    // Only the referenced sources a render reads belong in its key: another's commit changes nothing.
    const usedRefs =
      detected.type === 'helm'
        ? helmValueFiles(root, source.helm, new Set(refs.keys())).files.flatMap((file) =>
            file.ref ? [[file.ref, refs.get(file.ref)]] : [],
          )
        : [];
    const key = canonicalJson({
      repo: source.repoURL,
      sha,
      path: root,
      type: detected.type,
      directory: detected.type === 'directory' ? (source.directory ?? null) : null,
      kustomize: detected.type === 'kustomize' ? (source.kustomize ?? null) : null,
      helm: detected.type === 'helm' ? { ...(source.helm ?? {}), release } : null,
      refs: usedRefs.length > 0 ? Object.fromEntries(usedRefs) : null,
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
            refs,
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

/** Argo CD's condition when several sources produce one resource (the last one wins). */
function repeatedResourceWarning(repeated: readonly string[]): string {
  const shown = repeated.slice(0, 5).join(', ');
  const more = repeated.length > 5 ? ` and ${repeated.length - 5} more` : '';
  return `several sources produce ${shown}${more}; the last source's object is applied`;
}

/**
 * An error of one of several sources, naming it: `spec.sources[1]` instead
 * of the `spec.source` the single-source code paths report. Other errors
 * (Git, the cluster) and errors of `spec.source` are returned as they are.
 */
function namingSource(field: string | undefined, error: unknown): unknown {
  if (field === undefined || !(error instanceof DomainError)) return error;
  return new DomainError(
    error.code,
    `${field}: ${error.message}`,
    error.details.map((detail) =>
      detail.field === 'spec.source' || detail.field.startsWith('spec.source.')
        ? { ...detail, field: field + detail.field.slice('spec.source'.length) }
        : detail,
    ),
    error.extra,
  );
}
