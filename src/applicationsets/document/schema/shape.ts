/**
 * Declarative shapes for the plain parts of an Application spec (Helm,
 * Kustomize, directory and plugin options, ignoreDifferences): fields whose
 * only rule is their type. Parts with real rules are written as functions.
 */
import {
  FieldReader,
  SchemaContext,
  checkBoolean,
  checkInteger,
  checkList,
  checkString,
  checkStringList,
  checkStringMap,
  withoutUndefined,
} from './schema-context';

/** An object shape: its fields (all others are unknown) and the required ones. */
export interface ObjectShape {
  readonly fields: Readonly<Record<string, Shape>>;
  readonly required?: readonly string[];
}

/** A list whose items all have one shape. */
export interface ListShape {
  readonly items: Shape;
}

/** An object with free keys whose values all have one shape. */
export interface MapShape {
  readonly values: Shape;
}

/** `any` is free-form data kept as written (Helm `valuesObject`). */
export type Shape =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'int-or-string'
  | 'string-list'
  | 'string-map'
  | 'any'
  | ObjectShape
  | ListShape
  | MapShape;

/** Checks `value` against `shape`, reporting under `field`; returns the value read. */
export function readShape(
  ctx: SchemaContext,
  value: unknown,
  field: string,
  shape: Shape,
): unknown {
  switch (shape) {
    case 'string':
      return checkString(ctx, value, field);
    case 'boolean':
      return checkBoolean(ctx, value, field);
    case 'integer':
      return checkInteger(ctx, value, field);
    case 'int-or-string':
      return typeof value === 'string' ? value : checkInteger(ctx, value, field);
    case 'string-list':
      return checkStringList(ctx, value, field);
    case 'string-map':
      return checkStringMap(ctx, value, field);
    case 'any':
      return value;
  }
  if ('items' in shape) {
    return checkList(ctx, value, field, (item, itemField) =>
      readShape(ctx, item, itemField, shape.items),
    );
  }
  if ('values' in shape) {
    const reader = FieldReader.open(ctx, value, field);
    if (!reader) return undefined;
    return Object.fromEntries(
      Object.keys(value as object).map((key) => [
        key,
        readShape(ctx, reader.take(key), reader.at(key), shape.values),
      ]),
    );
  }
  const reader = FieldReader.open(ctx, value, field);
  if (!reader) return undefined;
  const required = new Set(shape.required ?? []);
  const read = Object.fromEntries(
    Object.entries(shape.fields).map(([key, fieldShape]) => {
      const fieldValue = reader.take(key, { required: required.has(key) });
      return [
        key,
        fieldValue === undefined
          ? undefined
          : readShape(ctx, fieldValue, reader.at(key), fieldShape),
      ];
    }),
  );
  reader.finish();
  return withoutUndefined(read);
}
