/**
 * Argo CD's Application resource (argoproj.io/v1alpha1), the shape that
 * ApplicationSet templates render into and that Fleetplane persists and syncs.
 * Field names and meanings are Argo's; see shared docs semantics.md Part B.
 */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

export interface ApplicationDestination {
  /** Registered cluster name (mutually exclusive with `server`). */
  name?: string;
  server?: string;
  namespace?: string;
}

export interface DirectorySource {
  recurse?: boolean;
  include?: string;
  exclude?: string;
  jsonnet?: unknown;
}

export interface KustomizeSource {
  namePrefix?: string;
  nameSuffix?: string;
  images?: string[];
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  namespace?: string;
  [key: string]: unknown;
}

export interface HelmSource {
  valueFiles?: string[];
  values?: string;
  valuesObject?: unknown;
  parameters?: { name: string; value: string; forceString?: boolean }[];
  releaseName?: string;
  [key: string]: unknown;
}

export interface ApplicationSource {
  repoURL: string;
  targetRevision?: string;
  path?: string;
  chart?: string;
  ref?: string;
  name?: string;
  directory?: DirectorySource;
  kustomize?: KustomizeSource;
  helm?: HelmSource;
  plugin?: unknown;
}

export interface RetryStrategy {
  /** Retries; 0 none, negative unlimited. */
  limit?: number;
  backoff?: {
    /** Duration string (`5s`, `1m`) or bare seconds. */
    duration?: string;
    factor?: number;
    maxDuration?: string;
  };
  refresh?: boolean;
}

export interface SyncPolicy {
  automated?: { prune?: boolean; selfHeal?: boolean; allowEmpty?: boolean; enabled?: boolean };
  syncOptions?: string[];
  retry?: RetryStrategy;
  managedNamespaceMetadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

export interface ApplicationSpec {
  project: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  destination: ApplicationDestination;
  syncPolicy?: SyncPolicy;
  ignoreDifferences?: unknown[];
  info?: { name: string; value: string }[];
  revisionHistoryLimit?: number;
}

/** An Application as generated (metadata + spec); status lives with the sync engine. */
export interface Application {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: ObjectMeta & { name: string };
  spec: ApplicationSpec;
}

/** The finalizer that makes deleting an Application delete its cluster resources. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
