/**
 * Faults one virtual cluster injects, settable while it runs: added latency,
 * a fraction of 500/503 answers, a fraction of 429 answers with Retry-After,
 * RBAC-style denials, "hang" (the request is read and never answered) and
 * "down" (the connection is refused or, on the shared listener, dropped
 * without an answer: see docs/kube-sim.md). Fractions are drawn from a seeded
 * generator, so a run is repeatable.
 */
import {
  StatusError,
  forbidden,
  internalError,
  serviceUnavailable,
  tooManyRequests,
} from '../api/status';
import { Verb } from '../verbs/api-context';

/** A request in the terms the faults are expressed in. */
export interface FaultTarget {
  readonly verb: Verb | undefined;
  readonly resource?: string;
  readonly group?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** Requests RBAC denies: every listed dimension must match (an absent one matches all). */
export interface DenyRule {
  readonly verbs?: readonly Verb[];
  readonly resources?: readonly string[];
  readonly namespaces?: readonly string[];
}

/** The settable faults of a cluster. */
export interface FaultSettings {
  /** Milliseconds added before each answer. */
  latencyMs: number;
  /** Fraction (0..1) of requests answered with `errorStatus`. */
  errorRate: number;
  errorStatus: 500 | 503;
  /** Fraction (0..1) of requests answered 429 TooManyRequests. */
  throttleRate: number;
  retryAfterSeconds: number;
  /** Accept and never answer. */
  hang: boolean;
  /** Refuse connections (dedicated listener) or drop them unanswered (shared listener). */
  down: boolean;
  /** Restricts latency, errors and throttling to these verbs (all verbs when undefined). */
  verbs: readonly Verb[] | undefined;
  /** Requests answered 403 Forbidden. */
  deny: readonly DenyRule[];
}

export const NO_FAULTS: Readonly<FaultSettings> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 500,
  throttleRate: 0,
  retryAfterSeconds: 1,
  hang: false,
  down: false,
  verbs: undefined,
  deny: [],
});

/**
 * A cluster's live fault settings. Assigning a member takes effect for the
 * next request; assigning `down` also tells the listener (a dedicated one
 * closes or reopens its port).
 */
export class ClusterFaults implements FaultSettings {
  latencyMs = 0;
  errorRate = 0;
  errorStatus: 500 | 503 = 500;
  throttleRate = 0;
  retryAfterSeconds = 1;
  hang = false;
  verbs: readonly Verb[] | undefined = undefined;
  deny: readonly DenyRule[] = [];
  /** Called when `down` changes; what it returns is awaited by `applied()`. */
  onDownChanged?: (down: boolean) => Promise<void> | void;
  private downValue = false;
  private transition: Promise<void> = Promise.resolve();

  get down(): boolean {
    return this.downValue;
  }

  set down(value: boolean) {
    if (value === this.downValue) return;
    this.downValue = value;
    // Called at once, not after the previous change: a listener closes its
    // port synchronously and starts listening again before any connection
    // the caller opens next, so `faults.down = false; request()` is served.
    const next = Promise.resolve(this.onDownChanged?.(value));
    next.catch(() => undefined); // reported by applied(), never unhandled
    this.transition = next;
  }

  /**
   * Resolves once the last change of `down` took effect (a dedicated listener
   * closed or listens again); rejects if reopening the port failed.
   */
  applied(): Promise<void> {
    return this.transition;
  }

  /**
   * Changes some settings, leaving the others as they are. They apply to the
   * next request, except `down` on a dedicated listener, which closes or
   * reopens a port: the returned promise (`applied()`) resolves once it has.
   */
  set(changes: Partial<FaultSettings>): Promise<void> {
    Object.assign(this, changes);
    return this.applied();
  }

  /** Back to no faults; resolves once the listener is up again (`afterEach(() => faults.clear())`). */
  clear(): Promise<void> {
    return this.set(NO_FAULTS);
  }
}

/** What to do with one request. */
export type FaultDecision =
  | { readonly kind: 'drop' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'fail'; readonly error: StatusError; readonly delayMs: number }
  | { readonly kind: 'serve'; readonly delayMs: number };

/** mulberry32: small, fast, seedable; enough to spread failures evenly and repeatably. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides the fate of a request under `faults` (`random` is the cluster's seeded generator). */
export function decideFault(
  faults: Readonly<FaultSettings>,
  target: FaultTarget,
  user: string,
  random: () => number,
): FaultDecision {
  if (faults.down) return { kind: 'drop' };
  if (faults.hang) return { kind: 'hang' };
  const denied = faults.deny.find((rule) => denies(rule, target));
  if (denied) return { kind: 'fail', error: forbiddenFor(target, user), delayMs: 0 };
  const applies =
    !faults.verbs || (target.verb !== undefined && faults.verbs.includes(target.verb));
  const delayMs = applies ? faults.latencyMs : 0;
  if (applies && faults.throttleRate > 0 && random() < faults.throttleRate) {
    return { kind: 'fail', error: tooManyRequests(faults.retryAfterSeconds), delayMs };
  }
  if (applies && faults.errorRate > 0 && random() < faults.errorRate) {
    const error =
      faults.errorStatus === 503
        ? serviceUnavailable('the server is currently unable to handle the request')
        : internalError('injected by kube-sim');
    return { kind: 'fail', error, delayMs };
  }
  return { kind: 'serve', delayMs };
}

function denies(rule: DenyRule, target: FaultTarget): boolean {
  if (rule.verbs && !(target.verb && rule.verbs.includes(target.verb))) return false;
  if (rule.resources && !(target.resource && rule.resources.includes(target.resource)))
    return false;
  if (rule.namespaces && !(target.namespace && rule.namespaces.includes(target.namespace)))
    return false;
  return true;
}

/** The RBAC denial message: `User "x" cannot list resource "pods" in API group "" in the namespace "y"`. */
export function forbiddenFor(target: FaultTarget, user: string): StatusError {
  if (!target.resource) {
    return new StatusError(403, 'Forbidden', `forbidden: User "${user}" cannot get path`, {});
  }
  const scope = target.namespace
    ? ` in the namespace "${target.namespace}"`
    : ' at the cluster scope';
  return forbidden(
    { group: target.group ?? '', resource: target.resource },
    target.name ?? '',
    `User "${user}" cannot ${target.verb ?? 'get'} resource "${target.resource}" in API group "${target.group ?? ''}"${scope}`,
  );
}
