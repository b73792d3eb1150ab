/**
 * Byte-wise string order (pure function), the order Go's `sort.Strings`,
 * `os.ReadDir` and Git use. JavaScript's `<` compares UTF-16 code units,
 * which disagrees with UTF-8 byte order for characters above U+E000 versus
 * astral-plane characters; this comparator does not.
 */

const NON_ASCII = /[\u0080-\uffff]/;

/** Negative, zero or positive as `a` sorts before, with, or after `b` in UTF-8 byte order. */
export function compareBytewise(a: string, b: string): number {
  if (!NON_ASCII.test(a) && !NON_ASCII.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
