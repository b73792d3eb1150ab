/**
 * Kubernetes objects as the sync engine sees them: plain JSON, exactly as
 * rendered from Git or read from a cluster, plus the identity every other
 * module keys on. One object is identified by group, kind, namespace and
 * name (gitops-engine's `kube.ResourceKey`); the version is carried along
 * for the apply call but never part of the identity, because the same
 * object is served under several versions.
 */

/** Any JSON value (what YAML/JSON manifests and API responses decode to). */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A concrete location in a JSON value: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

/** A JSON object with string keys. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Object metadata fields the sync engine reads; everything else passes through. */
export interface KubeObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  generation?: number;
  deletionTimestamp?: string;
  [field: string]: unknown;
}

/** A Kubernetes object as plain JSON (`{apiVersion, kind, metadata, spec, status, ...}`). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeObjectMeta;
  [field: string]: unknown;
}

/**
 * Identity of one object. `group` is `''` for the core API (`v1`), and
 * `namespace` is `''` for cluster-scoped objects.
 */
export interface ObjectRef {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** True for a non-null, non-array object (what JSON calls an object). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Splits an `apiVersion` into group and version: `apps/v1` → `{apps, v1}`,
 * `v1` → `{'', v1}` (the core group has no name).
 */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The reference of an object, from its apiVersion, kind and metadata (pure function). */
export function refOf(obj: KubeObject): ObjectRef {
  const { group, version } = parseApiVersion(obj.apiVersion);
  return {
    group,
    version,
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
  };
}

/**
 * A string that is equal for two refs exactly when they name the same object
 * (group, kind, namespace, name; the version is left out on purpose). Use it
 * as a Map key.
 */
export function refKey(ref: ObjectRef): string {
  return `${ref.group}/${ref.kind}/${ref.namespace}/${ref.name}`;
}

/**
 * A ref as people read it in messages: `Deployment apps default/web`,
 * `ConfigMap default/settings`, `ClusterRole rbac.authorization.k8s.io admin`.
 */
export function formatRef(ref: ObjectRef): string {
  const kind = ref.group ? `${ref.kind} ${ref.group}` : ref.kind;
  const where = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  return `${kind} ${where}`;
}

/**
 * Total order on refs by group, kind, namespace, name (byte-wise, as Go
 * compares strings), for stable outputs.
 */
export function compareRefs(a: ObjectRef, b: ObjectRef): number {
  return (
    compareStrings(a.group, b.group) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.namespace, b.namespace) ||
    compareStrings(a.name, b.name)
  );
}

/** Compares two strings by UTF-16 code units, the order Go's `<` gives for ASCII names. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One annotation of an object, or undefined when it is not set. */
export function annotationOf(obj: KubeObject, key: string): string | undefined {
  const annotations = obj.metadata.annotations;
  if (!isJsonObject(annotations) || !Object.prototype.hasOwnProperty.call(annotations, key)) {
    return undefined;
  }
  const value: unknown = annotations[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The comma-separated values of an annotation, trimmed, empty entries
 * dropped (gitops-engine's `GetAnnotationCSVs`).
 */
export function annotationList(obj: KubeObject, key: string): string[] {
  const value = annotationOf(obj, key);
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
