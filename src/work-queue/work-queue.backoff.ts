/**
 * How long a failed reconcile waits before the next attempt (pure function):
 * 5 s doubling per consecutive failure, capped at 3 minutes (Argo CD retries
 * a broken ApplicationSet every 3 minutes; argo-cd#9438 is what happens
 * without backoff), with ±20 % jitter so a fleet of failures does not retry in
 * lock-step.
 */
export function reconcileBackoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 180_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Spreads periodic work (Git polling) by ±10 % so it does not align across objects. */
export function withJitter(intervalMs: number, random: () => number = Math.random): number {
  return Math.round(intervalMs * (0.9 + 0.2 * random()));
}
