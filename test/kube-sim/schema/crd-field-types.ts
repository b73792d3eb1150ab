/**
 * Merge semantics of a custom resource, read from its CRD's structural schema
 * the way the API server reads it: `x-kubernetes-list-type` (default atomic),
 * `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`. Metadata follows
 * ObjectMeta's built-in rules. Custom resources take no strategic merge patch,
 * so every PatchMeta here is "replace".
 */
import { Json, JsonMap, isJsonMap } from '../api/json';
import { objectMetaTypes } from './builtin-field-types';
import { ATOMIC_LIST, ListSemantics, REPLACE_PATCH, TypeNode, UNTYPED } from './field-types';

class SchemaTypeNode implements TypeNode {
  readonly patch = REPLACE_PATCH;

  constructor(private readonly schema: JsonMap) {}

  field(name: string): TypeNode {
    const properties = this.schema.properties;
    if (isJsonMap(properties) && isJsonMap(properties[name])) {
      return new SchemaTypeNode(properties[name] as JsonMap);
    }
    const additional = this.schema.additionalProperties;
    if (isJsonMap(additional)) return new SchemaTypeNode(additional);
    return UNTYPED;
  }

  item(): TypeNode {
    const items = this.schema.items;
    return isJsonMap(items) ? new SchemaTypeNode(items) : UNTYPED;
  }

  get list(): ListSemantics {
    const listType = this.schema['x-kubernetes-list-type'];
    if (listType === 'set') return { type: 'set' };
    if (listType === 'map') {
      const keys = this.schema['x-kubernetes-list-map-keys'];
      const keyNames = Array.isArray(keys)
        ? keys.filter((k): k is string => typeof k === 'string')
        : [];
      return { type: 'map', keys: keyNames, keyDefaults: this.keyDefaults(keyNames) };
    }
    return ATOMIC_LIST;
  }

  get atomicMap(): boolean {
    return this.schema['x-kubernetes-map-type'] === 'atomic';
  }

  private keyDefaults(keys: readonly string[]): Record<string, Json> | undefined {
    const item = this.schema.items;
    const properties = isJsonMap(item) ? item.properties : undefined;
    if (!isJsonMap(properties)) return undefined;
    const defaults: Record<string, Json> = {};
    for (const key of keys) {
      const property = properties[key];
      if (isJsonMap(property) && property.default !== undefined) defaults[key] = property.default;
    }
    return Object.keys(defaults).length ? defaults : undefined;
  }
}

/** The root schema of a custom kind, from `spec.versions[].schema.openAPIV3Schema`. */
export function crdTypes(kind: string, openAPIV3Schema: Json | undefined): TypeNode {
  const root = isJsonMap(openAPIV3Schema) ? new SchemaTypeNode(openAPIV3Schema) : UNTYPED;
  const metadata = objectMetaTypes(kind);
  return {
    field: (name) => (name === 'metadata' ? metadata : root.field(name)),
    item: () => root.item(),
    list: root.list,
    atomicMap: false,
    patch: REPLACE_PATCH,
  };
}
