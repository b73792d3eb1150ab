/**
 * How the fields of an object merge: which lists are associative (merged by
 * key), which are sets, which lists and maps are atomic, and the strategic
 * merge patch keys. The real API server reads this from the OpenAPI schema
 * (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`,
 * `x-kubernetes-map-type`, `x-kubernetes-patch-merge-key`); kube-sim keeps a
 * table for the built-in kinds it serves (`builtin-field-types.ts`) and reads
 * the schema of a CustomResourceDefinition for custom kinds
 * (`crd-field-types.ts`). Server-side apply and strategic merge patch walk a
 * value and its TypeNode together.
 */
import { Json } from '../api/json';

/** How a list merges under server-side apply. */
export type ListSemantics =
  | { readonly type: 'atomic' }
  | {
      readonly type: 'map';
      /** `x-kubernetes-list-map-keys`, in schema order. */
      readonly keys: readonly string[];
      /** Values of key fields the server defaults (ports' `protocol: TCP`). */
      readonly keyDefaults?: Readonly<Record<string, Json>>;
    }
  | { readonly type: 'set' };

/** Strategic-merge-patch metadata of a list (Go tags `patchStrategy` / `patchMergeKey`). */
export interface PatchMeta {
  readonly strategy: 'replace' | 'merge';
  /** Present for lists of maps merged by key; absent for merged lists of primitives. */
  readonly mergeKey?: string;
}

/** The schema at one place in an object, navigated alongside the value. */
export interface TypeNode {
  /** The schema of a map member. */
  field(name: string): TypeNode;
  /** The schema of a list element. */
  item(): TypeNode;
  /** Merge semantics when the value here is a list. */
  readonly list: ListSemantics;
  /** True when the map here is replaced as a whole (`x-kubernetes-map-type: atomic`). */
  readonly atomicMap: boolean;
  /** Strategic merge patch metadata when the value here is a list. */
  readonly patch: PatchMeta;
}

export const ATOMIC_LIST: ListSemantics = { type: 'atomic' };
export const REPLACE_PATCH: PatchMeta = { strategy: 'replace' };

/** The schema of a value nothing is known about: granular maps, atomic lists. */
export const UNTYPED: TypeNode = {
  field: () => UNTYPED,
  item: () => UNTYPED,
  list: ATOMIC_LIST,
  atomicMap: false,
  patch: REPLACE_PATCH,
};
