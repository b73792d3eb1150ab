/**
 * Type checks for generator spec fields (pure functions). The document
 * validator checks structure before expansion, but a generator must still
 * answer a wrong type with an error naming the field, never with a crash or
 * a silently wrong result (a string's characters taken as list items).
 */
import { fieldPath } from '../common/field-problem';
import { GenerationContext } from './generator';

/** `spec[key]` as a list (absent: empty), or a GenerationError at `<specPath>.<key>`. */
export function listField(spec: unknown, key: string, context: GenerationContext): unknown[] {
  const value = own(spec, key);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw context.invalid(fieldPath(context.specPath, key), 'type', 'must be a list');
  return value;
}

/** `spec[key]` as a map (absent: undefined), or a GenerationError at `<specPath>.<key>`. */
export function mapField(
  spec: unknown,
  key: string,
  context: GenerationContext,
): Record<string, unknown> | undefined {
  const value = own(spec, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw context.invalid(fieldPath(context.specPath, key), 'type', 'must be a map');
  }
  return value as Record<string, unknown>;
}

/** `spec[key]` as a string (absent: undefined), or a GenerationError at `<specPath>.<key>`. */
export function stringField(
  spec: unknown,
  key: string,
  context: GenerationContext,
): string | undefined {
  const value = own(spec, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw context.invalid(fieldPath(context.specPath, key), 'type', 'must be a string');
  return value;
}

function own(spec: unknown, key: string): unknown {
  return typeof spec === 'object' &&
    spec !== null &&
    Object.prototype.hasOwnProperty.call(spec, key)
    ? (spec as Record<string, unknown>)[key]
    : undefined;
}
