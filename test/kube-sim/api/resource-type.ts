/**
 * What the server knows about one resource type: its names (for URLs,
 * discovery and messages), scope, verbs, subresources, how its generation
 * moves, and its merge schema. Built-in kinds come from a table
 * (`builtin-resources.ts`); custom kinds from CustomResourceDefinitions.
 */
import { JsonMap } from './json';
import { TypeNode } from '../schema/field-types';

/** When `metadata.generation` is bumped (registry strategies of k8s.io/kubernetes). */
export type GenerationPolicy =
  /** No generation (ConfigMap, Secret, Service, ...). */
  | 'none'
  /** Bumped when `spec` changes (workloads, Ingress, CRDs). */
  | 'spec'
  /** Bumped on any change outside metadata and status (custom resources). */
  | 'non-metadata';

/** `additionalPrinterColumns` of a CRD version, or a built-in printer's column. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
  readonly format?: string;
}

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly listKind: string;
  /** The plural resource name used in URLs (`deployments`). */
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
  /** Served with a `/status` subresource: main-resource writes keep status unchanged. */
  readonly statusSubresource: boolean;
  /** Served with a `/scale` subresource (paths of the replica counts). */
  readonly scale?: { readonly specReplicasPath: string; readonly statusReplicasPath: string };
  readonly generation: GenerationPolicy;
  /** DELETE answers with the object rather than a Status (pods, services, namespaces). */
  readonly returnsDeletedObject: boolean;
  /** Defined by a CRD: no strategic merge patch, schema from the CRD. */
  readonly custom: boolean;
  readonly types: TypeNode;
  readonly printerColumns?: readonly PrinterColumn[];
  /** The CRD schema of this version, when custom. */
  readonly openAPIV3Schema?: JsonMap;
}

/** `apps/v1` or `v1` for the core group. */
export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** `Deployment.apps`, the qualified kind Invalid messages name. */
export function qualifiedKind(type: Pick<ResourceType, 'group' | 'kind'>): string {
  return type.group ? `${type.kind}.${type.group}` : type.kind;
}

/** The group and plural resource, as NotFound and Conflict messages name them. */
export function groupResource(type: ResourceType): { group: string; resource: string } {
  return { group: type.group, resource: type.plural };
}

export const STANDARD_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
] as const;
