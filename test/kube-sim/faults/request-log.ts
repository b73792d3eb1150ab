/**
 * What a virtual cluster was asked: a bounded log of requests (newest kept)
 * and exact per-verb counters, both resettable, so tests can assert "an
 * unchanged app causes no PATCH" or "the sync listed each kind once".
 */
import { Verb } from '../verbs/api-context';

export interface LoggedRequest {
  /** When the request arrived (ISO 8601). */
  readonly time: string;
  readonly method: string;
  /** The Kubernetes path, without the cluster prefix (`/apis/apps/v1/namespaces/x/deployments/web`). */
  readonly path: string;
  readonly query: string;
  /** The Kubernetes verb; undefined for non-resource paths (discovery, /version, /openapi). */
  readonly verb: Verb | undefined;
  readonly group?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** For PATCH: `json`, `merge`, `strategic` or `apply`. */
  readonly patchType?: string;
  readonly fieldManager?: string;
  readonly dryRun: boolean;
  readonly userAgent?: string;
  /** The status answered; 0 when the connection was dropped or is still hanging. */
  status: number;
}

/** Counts by Kubernetes verb, plus `nonResource` for discovery and other non-resource paths. */
export type VerbCounters = Record<Verb | 'nonResource', number>;

function zeroCounters(): VerbCounters {
  return {
    get: 0,
    list: 0,
    watch: 0,
    create: 0,
    update: 0,
    patch: 0,
    delete: 0,
    deletecollection: 0,
    nonResource: 0,
  };
}

/**
 * Filter for `find` and `count`: every given member must be equal, or a
 * predicate for anything else (`(r) => r.path.startsWith('/apis/apps/')`).
 */
export type RequestFilter =
  | Partial<
      Pick<
        LoggedRequest,
        | 'verb'
        | 'method'
        | 'group'
        | 'resource'
        | 'subresource'
        | 'namespace'
        | 'name'
        | 'patchType'
        | 'fieldManager'
        | 'dryRun'
        | 'status'
      >
    >
  | ((request: LoggedRequest) => boolean);

export class RequestLog {
  private log: LoggedRequest[] = [];
  private verbCounts = zeroCounters();

  /** `limit` entries are kept (0 keeps none; counters always count). */
  constructor(private readonly limit: number) {}

  record(entry: LoggedRequest): LoggedRequest {
    this.verbCounts[entry.verb ?? 'nonResource']++;
    if (this.limit > 0) {
      this.log.push(entry);
      if (this.log.length > this.limit) this.log.splice(0, this.log.length - this.limit);
    }
    return entry;
  }

  /** The retained requests, oldest first. */
  entries(): readonly LoggedRequest[] {
    return [...this.log];
  }

  /** Retained requests matching `filter`, oldest first. */
  find(filter: RequestFilter): LoggedRequest[] {
    if (typeof filter === 'function') return this.log.filter(filter);
    return this.log.filter((entry) =>
      Object.entries(filter).every(([key, value]) => entry[key as keyof LoggedRequest] === value),
    );
  }

  /** How many retained requests match `filter` (all of them without one). */
  count(filter?: RequestFilter): number {
    return filter ? this.find(filter).length : this.log.length;
  }

  /** Requests per verb since the last reset (not limited by retention). */
  counters(): VerbCounters {
    return { ...this.verbCounts };
  }

  reset(): void {
    this.log = [];
    this.verbCounts = zeroCounters();
  }
}
