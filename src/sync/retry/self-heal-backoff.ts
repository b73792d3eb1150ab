/**
 * How long self-heal waits before reverting drift again, as Argo CD's
 * controller does with `controller.self.heal.backoff.*` (2 s, ×3, capped at
 * 300 s; semantics.md B1): the n-th consecutive self-heal waits
 * 2 s, 6 s, 18 s, 54 s, 162 s, then 300 s. The attempt count is reset once
 * the Application is back in sync.
 */

/** Self-heal backoff settings. */
export interface SelfHealBackoff {
  readonly initialMs: number;
  readonly factor: number;
  readonly capMs: number;
}

export const DEFAULT_SELF_HEAL_BACKOFF: SelfHealBackoff = {
  initialMs: 2_000,
  factor: 3,
  capMs: 300_000,
};

/** The wait before a self-heal after `attempts` consecutive ones (0 → no wait). */
export function selfHealDelayMs(
  attempts: number,
  backoff: SelfHealBackoff = DEFAULT_SELF_HEAL_BACKOFF,
): number {
  if (attempts <= 0) return 0;
  return Math.min(backoff.capMs, backoff.initialMs * backoff.factor ** (attempts - 1));
}

/**
 * How much of that wait remains, counting from the end of the last sync
 * operation (undefined: no operation finished yet, so the whole wait).
 * Never negative.
 */
export function selfHealRemainingMs(
  attempts: number,
  msSinceLastOperation: number | undefined,
  backoff: SelfHealBackoff = DEFAULT_SELF_HEAL_BACKOFF,
): number {
  return Math.max(0, selfHealDelayMs(attempts, backoff) - (msSinceLastOperation ?? 0));
}
