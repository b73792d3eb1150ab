/**
 * Argo CD's ApplicationSet resource (argoproj.io/v1alpha1), read unchanged
 * from Git and the API. Only the flat-parameter mode (`goTemplate` unset or
 * false) is supported; see shared docs semantics.md Part A.
 */
import { ApplicationSpec, ObjectMeta } from './application.types';
import { LabelSelector } from '../labels/label-selector';

/** `spec.template` and generator-level `template`: an Application whose strings may hold `{{params}}`. */
export interface ApplicationTemplate {
  metadata: ObjectMeta;
  spec: ApplicationSpec;
}

/** Generator-level templates may be partial; they are merged over `spec.template`. */
export interface PartialApplicationTemplate {
  metadata?: ObjectMeta;
  spec?: Partial<ApplicationSpec>;
}

export interface ListGenerator {
  elements?: Record<string, unknown>[];
  elementsYaml?: string;
  template?: PartialApplicationTemplate;
}

export interface ClusterGenerator {
  selector?: LabelSelector;
  values?: Record<string, string>;
  flatList?: boolean;
  template?: PartialApplicationTemplate;
}

export interface GitPathEntry {
  path: string;
  exclude?: boolean;
}

export interface GitGenerator {
  repoURL: string;
  revision?: string;
  directories?: GitPathEntry[];
  files?: GitPathEntry[];
  pathParamPrefix?: string;
  values?: Record<string, string>;
  requeueAfterSeconds?: number;
  template?: PartialApplicationTemplate;
}

/**
 * A child of matrix/merge: one terminal generator, or (one level down) a
 * nested matrix/merge. Child templates are ignored, as in Argo CD.
 */
export interface ChildGenerator {
  list?: ListGenerator;
  clusters?: ClusterGenerator;
  git?: GitGenerator;
  matrix?: MatrixGenerator;
  merge?: MergeGenerator;
  selector?: LabelSelector;
}

export interface MatrixGenerator {
  generators: ChildGenerator[];
  template?: PartialApplicationTemplate;
}

export interface MergeGenerator {
  generators: ChildGenerator[];
  mergeKeys: string[];
  template?: PartialApplicationTemplate;
}

/** One entry of `spec.generators`. Every kind set in one entry runs, results concatenated. */
export interface Generator {
  list?: ListGenerator;
  clusters?: ClusterGenerator;
  git?: GitGenerator;
  matrix?: MatrixGenerator;
  merge?: MergeGenerator;
  /** Post-selector applied to every parameter set this entry produces. */
  selector?: LabelSelector;
}

export type ApplicationsSyncPolicy = 'sync' | 'create-only' | 'create-update' | 'create-delete';

export interface ApplicationSetSyncPolicy {
  preserveResourcesOnDeletion?: boolean;
  applicationsSync?: ApplicationsSyncPolicy;
}

export interface ApplicationSetSpec {
  goTemplate?: boolean;
  goTemplateOptions?: string[];
  generators: Generator[];
  template: ApplicationTemplate;
  templatePatch?: string;
  syncPolicy?: ApplicationSetSyncPolicy;
  preservedFields?: { annotations?: string[]; labels?: string[] };
  ignoreApplicationDifferences?: {
    name?: string;
    jsonPointers?: string[];
    jqPathExpressions?: string[];
  }[];
  strategy?: unknown;
}

export interface ApplicationSet {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'ApplicationSet';
  metadata: ObjectMeta & { name: string };
  spec: ApplicationSetSpec;
}
