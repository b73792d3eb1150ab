/**
 * Go's `fmt` `%v` rendering of JSON-like values (pure functions). Argo CD
 * turns non-string parameters into strings this way wherever flat mode needs a
 * string: Git file values (semantics.md §1.5), post-selector matching (§1.8)
 * and matrix/merge combination (§1.6, §1.7). JSON numbers reach Go as float64,
 * so `1234567` prints as `1.234567e+06`.
 */
import { compareBytewise } from './byte-order';

/**
 * Formats a number as Go's `%v` formats a float64: the shortest digits that
 * round-trip, in exponent form when the decimal exponent is < -4 or >= 6 (Go's
 * `%g` decides with precision 6 when printing shortest), else plain decimal:
 * `1e+06`, `1.234567e+06`, `123456`, `0.0001`, `1e-05`.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  // toExponential() without an argument yields the shortest round-trip digits,
  // the same digits Go's strconv picks ('g' with precision -1).
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const exponentSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fractionPart = digits.slice(exponent + 1);
  return fractionPart ? `${sign}${integerPart}.${fractionPart}` : `${sign}${integerPart}`;
}

/**
 * Formats a parsed JSON/YAML value as Go's `fmt.Sprintf("%v", v)` does for
 * `interface{}` values: strings as-is, numbers via {@link formatGoFloat},
 * `true`/`false`, null as `<nil>`, lists as `[a b]`, maps as `map[k:v]` with
 * keys sorted byte-wise (Go's fmt sorts map keys).
 */
export function formatGoValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatGoFloat(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      compareBytewise(a, b),
    );
    return `map[${entries.map(([k, v]) => `${k}:${formatGoValue(v)}`).join(' ')}]`;
  }
  return String(value);
}
