/**
 * Combining two parameter sets in flat mode (Argo's `utils.CombineStringMaps`
 * for Matrix and `CombineStringMapsAllowDuplicates` for Merge, semantics.md
 * §1.6–1.7), pure functions. Both first turn every value into a string with
 * Go's `%v`, as Argo's `ConvertToMapStringString` does.
 */
import { formatGoValue } from '../templates';
import { ParamSet } from './generator';

/** Matrix: both sets' keys; a key present in both with different values is a conflict. */
export function combineStrict(
  first: ParamSet,
  second: ParamSet,
): { params: ParamSet } | { conflict: string } {
  const combined = stringEntries(first);
  for (const [key, value] of Object.entries(second)) {
    const text = formatGoValue(value);
    const current = combined.get(key);
    if (current !== undefined && current !== text) {
      return {
        conflict: `found duplicate key ${key} with different value, a: ${current} ,b: ${text}`,
      };
    }
    combined.set(key, text);
  }
  return { params: Object.fromEntries(combined) };
}

/** Merge: the base set's keys overlaid by the override's (the override wins). */
export function combineOverride(base: ParamSet, override: ParamSet): ParamSet {
  const combined = stringEntries(base);
  for (const [key, value] of Object.entries(override)) combined.set(key, formatGoValue(value));
  return Object.fromEntries(combined);
}

function stringEntries(set: ParamSet): Map<string, string> {
  return new Map(Object.entries(set).map(([key, value]) => [key, formatGoValue(value)]));
}
