/**
 * The shape of a stored Kubernetes object and typed accessors for its
 * metadata. Objects are plain JSON so that every patch type can work on them
 * without a conversion layer.
 */
import { Json, JsonMap, isJsonMap, stringMap } from './json';

/** One `metadata.managedFields` entry, as the API server serialises it. */
export interface ManagedFieldsEntry extends JsonMap {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonMap;
}

/** `metadata.ownerReferences[]`. */
export interface OwnerReference extends JsonMap {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

/** A stored object: JSON with `apiVersion`, `kind` and a `metadata` map. */
export interface KubeObject extends JsonMap {
  apiVersion: string;
  kind: string;
  metadata: JsonMap;
}

/** Name and namespace of an object, as URLs and messages use them. */
export interface ObjectKey {
  readonly namespace: string | undefined;
  readonly name: string;
}

/** Reads a string member of metadata. */
export function metaString(object: KubeObject, key: string): string | undefined {
  const value = object.metadata[key];
  return typeof value === 'string' ? value : undefined;
}

export function objectName(object: KubeObject): string {
  return metaString(object, 'name') ?? '';
}

export function objectNamespace(object: KubeObject): string | undefined {
  return metaString(object, 'namespace');
}

export function objectUid(object: KubeObject): string {
  return metaString(object, 'uid') ?? '';
}

export function objectLabels(object: KubeObject): Record<string, string> {
  return stringMap(object.metadata.labels) ?? {};
}

export function objectFinalizers(object: KubeObject): string[] {
  const value = object.metadata.finalizers;
  return Array.isArray(value) ? value.filter((f): f is string => typeof f === 'string') : [];
}

export function objectOwnerReferences(object: KubeObject): OwnerReference[] {
  const value = object.metadata.ownerReferences;
  return Array.isArray(value) ? (value.filter(isJsonMap) as OwnerReference[]) : [];
}

export function managedFieldsOf(object: KubeObject | undefined): ManagedFieldsEntry[] {
  const value = object?.metadata.managedFields;
  return Array.isArray(value) ? (value.filter(isJsonMap) as ManagedFieldsEntry[]) : [];
}

export function isBeingDeleted(object: KubeObject): boolean {
  return typeof object.metadata.deletionTimestamp === 'string';
}

/** Numeric `metadata.resourceVersion` (0 when absent). */
export function resourceVersionOf(object: KubeObject): number {
  const rv = metaString(object, 'resourceVersion');
  return rv ? Number(rv) : 0;
}

/** True when `value` looks like an object a client sent (kind, apiVersion, metadata map). */
export function isKubeObject(value: Json | undefined): value is KubeObject {
  return isJsonMap(value) && isJsonMap(value.metadata);
}

/** `group/version` split; the core group is `''`. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** RFC 3339 timestamp with second precision, the form metav1.Time serialises to. */
export function kubeTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
