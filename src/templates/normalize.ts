/**
 * Argo CD's `normalize` (`utils.SanitizeName`, semantics.md §1.3), the value
 * of `nameNormalized`, `path.basenameNormalized` and the `normalize` helper.
 */

/** Kubernetes' limit on a DNS-1123 subdomain, to which SanitizeName truncates. */
const MAX_DNS_NAME_LENGTH = 253;
const NON_ASCII = /[\u0080-\uffff]/;
const INVALID_ASCII = /[^-a-z0-9.]/g;
const VALID_CHAR = /^[-a-z0-9.]$/;
const EDGE_SEPARATORS = /^[-.]+|[-.]+$/g;

/**
 * Lowercases, replaces every character outside `[-a-z0-9.]` with `-` (one
 * `-` per character, runs are not collapsed), truncates to 253 characters and
 * strips leading and trailing `-` and `.` (pure function).
 * `production_01/west` → `production-01-west`; `a__b` → `a--b`; `.` → ``.
 */
export function normalize(name: string): string {
  const replaced = !NON_ASCII.test(name)
    ? name.toLowerCase().replace(INVALID_ASCII, '-')
    : Array.from(name, (char) => {
        const lower = goLowerRune(char);
        return VALID_CHAR.test(lower) ? lower : '-';
      }).join('');
  return replaced.slice(0, MAX_DNS_NAME_LENGTH).replace(EDGE_SEPARATORS, '');
}

/**
 * Go's `unicode.ToLower` maps one rune to one rune; JavaScript may map to
 * several (`İ` → `i̇`). Go keeps the simple mapping, which is the first code
 * point of JavaScript's result.
 */
function goLowerRune(char: string): string {
  const lower = char.toLowerCase();
  return String.fromCodePoint(lower.codePointAt(0) ?? 0);
}
