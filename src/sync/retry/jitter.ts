/**
 * Jitter, so that many Applications or clusters failing together do not all
 * retry in the same instant (k8s.io/apimachinery `wait.Jitter`).
 */

/** A source of uniform random numbers in [0, 1); inject a fixed one in tests. */
export type RandomSource = () => number;

/**
 * `ms` plus up to `maxFactor × ms` of random extra time (pure given
 * `random`). A `maxFactor` of 0 or less means 1, as in apimachinery.
 */
export function withJitter(
  ms: number,
  maxFactor: number,
  random: RandomSource = Math.random,
): number {
  const factor = maxFactor > 0 ? maxFactor : 1;
  return ms + random() * factor * ms;
}
