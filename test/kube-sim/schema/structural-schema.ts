/**
 * What the API server does with a custom resource against its CRD's
 * structural schema (apiextensions-apiserver): unknown fields are pruned
 * unless `x-kubernetes-preserve-unknown-fields` keeps them (`apiVersion`,
 * `kind` and `metadata` at the root and in embedded resources always stay),
 * nulls of non-nullable fields are dropped, `default`s fill absent fields,
 * and what remains is validated:
 * `type` (with `x-kubernetes-int-or-string`), `required` and `enum`, with the
 * messages of kube-openapi's validator. Without these a manifest with a typo
 * would be stored here and pruned on a real cluster, a drift a sync engine
 * would chase forever. Pure functions; values are copied on write.
 */
import { Json, JsonMap, isJsonMap } from '../api/json';
import { StatusCause } from '../api/status';

const ALWAYS_KEPT = new Set(['apiVersion', 'kind', 'metadata']);

/** `spec.items[0].name`: the path form of field errors (no leading dot). */
function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * `value` without the fields `schema` does not declare (their paths are
 * added to `unknown`) and without nulls of non-nullable fields.
 */
export function pruneUnknownFields(
  value: Json,
  schema: JsonMap,
  unknown: string[],
  path = '',
  root = true,
): Json {
  if (Array.isArray(value)) {
    const items = isJsonMap(schema.items) ? schema.items : undefined;
    if (!items) return value;
    let out: Json[] | undefined;
    value.forEach((item, i) => {
      const next = pruneUnknownFields(item, items, unknown, `${path}[${i}]`, false);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  if (!isJsonMap(value)) return value;
  const properties = isJsonMap(schema.properties) ? schema.properties : {};
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = root || schema['x-kubernetes-embedded-resource'] === true;
  let out: JsonMap | undefined;
  const drop = (key: string) => {
    out ??= { ...value };
    delete out[key];
  };
  for (const [key, item] of Object.entries(value)) {
    if (embedded && ALWAYS_KEPT.has(key)) continue;
    const declared = Object.prototype.hasOwnProperty.call(properties, key)
      ? properties[key]
      : additional;
    if (!isJsonMap(declared) && declared !== true) {
      if (!preserve) {
        unknown.push(child(path, key));
        drop(key);
      }
      continue;
    }
    if (!isJsonMap(declared)) continue;
    if (item === null && declared.nullable !== true) {
      drop(key);
      continue;
    }
    const next = pruneUnknownFields(item, declared, unknown, child(path, key), false);
    if (next !== item) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}

/** `value` with the schema's `default`s set where a field is absent (in objects that exist). */
export function applySchemaDefaults(value: Json, schema: JsonMap, root = true): Json {
  if (Array.isArray(value)) {
    const items = isJsonMap(schema.items) ? schema.items : undefined;
    if (!items) return value;
    let out: Json[] | undefined;
    value.forEach((item, i) => {
      const next = applySchemaDefaults(item, items, false);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  if (!isJsonMap(value) || !isJsonMap(schema.properties)) return value;
  let out: JsonMap | undefined;
  for (const [key, property] of Object.entries(schema.properties)) {
    if (!isJsonMap(property) || (root && ALWAYS_KEPT.has(key))) continue;
    const current = value[key];
    const next =
      current === undefined
        ? property.default !== undefined
          ? applySchemaDefaults(property.default, property, false)
          : undefined
        : applySchemaDefaults(current, property, false);
    if (next !== current && next !== undefined) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}

/** kube-openapi's name of a JSON value's type. */
function typeName(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

function hasType(value: Json, schema: JsonMap): boolean {
  if (schema['x-kubernetes-int-or-string'] === true) {
    return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  }
  const expected = schema.type;
  if (typeof expected !== 'string' || (value === null && schema.nullable === true)) return true;
  const actual = typeName(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

/** The causes of a 422 for `value` (already pruned) against `schema`. */
export function validateAgainstSchema(
  value: Json,
  schema: JsonMap,
  path = '',
  root = true,
): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!root && !hasType(value, schema)) {
    const actual = typeName(value);
    const expected =
      schema['x-kubernetes-int-or-string'] === true ? 'integer or string' : schema.type;
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${actual}": ${path} in body must be of type ${String(expected)}: "${actual}"`,
      field: path,
    });
    return causes;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => sameJson(option, value))) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map((o) => JSON.stringify(o)).join(', ')}`,
      field: path,
    });
  }
  if (isJsonMap(value)) {
    for (const key of Array.isArray(schema.required) ? schema.required : []) {
      if (typeof key === 'string' && value[key] === undefined) {
        causes.push({
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: child(path, key),
        });
      }
    }
    const properties = isJsonMap(schema.properties) ? schema.properties : {};
    for (const [key, item] of Object.entries(value)) {
      if (root && ALWAYS_KEPT.has(key)) continue;
      const declared = Object.prototype.hasOwnProperty.call(properties, key)
        ? properties[key]
        : schema.additionalProperties;
      if (isJsonMap(declared))
        causes.push(...validateAgainstSchema(item, declared, child(path, key), false));
    }
  } else if (Array.isArray(value) && isJsonMap(schema.items)) {
    const items = schema.items;
    value.forEach((item, i) =>
      causes.push(...validateAgainstSchema(item, items, `${path}[${i}]`, false)),
    );
  }
  return causes;
}

function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
