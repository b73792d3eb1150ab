/**
 * Kubernetes resource quantities (`500m`, `1`, `1Gi`, `1e3`), which the API
 * server stores in a canonical form: `1000m` comes back as `1`, `0.5` as
 * `500m`, `1024Mi` as `1Gi`. Comparing the parsed amounts instead of the text
 * keeps those rewrites from showing as drift
 * (k8s.io/apimachinery/pkg/api/resource).
 */

const QUANTITY =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const DECIMAL_EXPONENT: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_POWER: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };

/** Nano-units per unit: the API server rounds quantities up to this precision. */
const NANO_EXPONENT = 9;

/**
 * The amount of a quantity in nano-units, exactly (bigint), or undefined when
 * the value is not a quantity. Numbers are read as their decimal text, as a
 * manifest's `cpu: 2` is. Amounts finer than 1n are rounded up, as the API
 * server does.
 */
export function quantityNanos(value: unknown): bigint | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const [, sign, number, exponent, suffix = ''] = match;
  const [whole, fraction = ''] = number.split('.');
  let mantissa = BigInt(`${whole || '0'}${fraction}`);
  let power = NANO_EXPONENT - fraction.length;
  if (exponent) power += Number(exponent.slice(1));
  else if (suffix in DECIMAL_EXPONENT) power += DECIMAL_EXPONENT[suffix];
  else mantissa *= 1024n ** BigInt(BINARY_POWER[suffix]);
  let nanos: bigint;
  if (power >= 0) {
    nanos = mantissa * 10n ** BigInt(power);
  } else {
    const divisor = 10n ** BigInt(-power);
    nanos = (mantissa + divisor - 1n) / divisor;
  }
  return sign === '-' ? -nanos : nanos;
}

/** True when both values are quantities of the same amount (`1000m` and `1`, `1Gi` and `1024Mi`). */
export function sameQuantity(a: unknown, b: unknown): boolean {
  const left = quantityNanos(a);
  return left !== undefined && left === quantityNanos(b);
}
