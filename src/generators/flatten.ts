/**
 * Flattening of nested parameters into flat keys (pure function), as Argo CD
 * does with `jeremywohl/flatten` (DotStyle) followed by `fmt.Sprintf("%v")`:
 * for Git file content (semantics.md §1.5) and for post-selector matching
 * (§1.8).
 */
import { formatGoValue } from '../templates';

/**
 * Flat keys to strings: nested map keys joined with `.`, list items keyed by
 * their index (`a.0.b`), leaves formatted as Go's `%v` (`1234567` →
 * `1.234567e+06`, null → `<nil>`). Empty maps and lists produce no key. When
 * two paths flatten to one key (`{"a.b": 1, "a": {"b": 2}}`), the later one in
 * document order wins (Go's map order would make it random).
 */
export function flattenToStrings(map: Readonly<Record<string, unknown>>): Map<string, string> {
  const flat = new Map<string, string>();
  const visit = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${key}.${i}`));
    } else if (value !== null && typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value)) visit(child, `${key}.${childKey}`);
    } else {
      flat.set(key, formatGoValue(value));
    }
  };
  for (const [key, value] of Object.entries(map)) visit(value, key);
  return flat;
}
