/**
 * When an ApplicationSet runs again without an event (pure function). Argo
 * CD re-runs Git generators on a timer; here the repository poller watches
 * the commits they read instead, so only an ApplicationSet whose repository
 * is chosen by matrix interpolation, or that sets `requeueAfterSeconds`
 * itself, keeps a timer. A name whose old Application the sync engine is
 * still deleting is looked at again after 10 s.
 */
import { ApplicationSet } from '../../argo/applicationset.types';
import { withJitter } from '../../work-queue/work-queue.backoff';
import { ANY_REPO } from '../applicationset-write';

/** How soon to look again for a name whose old Application is still being deleted. */
export const BEING_DELETED_RETRY_MS = 10_000;

export interface NextRunInput {
  /** The ApplicationSet's repository keys (`*` when one is interpolated). */
  readonly gitRepos: readonly string[];
  readonly generators: ApplicationSet['spec']['generators'];
  /** The expansion's smallest generator requeue, or null. */
  readonly requeueAfterSeconds: number | null;
  /** Some generated name waits for the deletion of its old Application. */
  readonly waitingForDeletion: boolean;
  readonly now: Date;
}

/** The time of the next timed run, or null (events and the poller suffice). */
export function nextRun(input: NextRunInput, random: () => number = Math.random): Date | null {
  const at = (ms: number) => new Date(input.now.getTime() + withJitter(ms, random));
  const soon = input.waitingForDeletion ? at(BEING_DELETED_RETRY_MS) : null;
  const seconds = input.requeueAfterSeconds;
  const timed =
    seconds !== null &&
    seconds > 0 &&
    (input.gitRepos.includes(ANY_REPO) || setsRequeue(input.generators as unknown));
  const periodic = timed ? at(seconds * 1000) : null;
  if (soon === null) return periodic;
  if (periodic === null) return soon;
  return soon < periodic ? soon : periodic;
}

/** True when any generator, at any depth, sets `requeueAfterSeconds` itself. */
export function setsRequeue(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(setsRequeue);
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.requeueAfterSeconds === 'number') return true;
  return Object.entries(record).some(
    ([key, child]) => key !== 'template' && key !== 'values' && setsRequeue(child),
  );
}
