/**
 * Keeps this replica's cluster leases: every quarter of a lease period it
 * records a heartbeat, renews every lease it holds in one statement, takes
 * free or expired leases up to its fair share (registered clusters divided
 * by live replicas, rounded up), and hands idle clusters back when it holds
 * more than its share. If renewing fails for most of a lease period (the
 * database is unreachable), it gives every cluster up locally before the
 * lease can expire: another replica may take them, and two must never sync
 * one cluster at once.
 */
import { Logger } from '@nestjs/common';
import { ClusterLeaseRepository } from '../persistence/cluster-lease.repository';

export interface LeaseKeeperHooks {
  /** Start workers for newly leased clusters. */
  acquired(names: string[]): Promise<void>;
  /** Stop the workers of clusters no longer leased (already given up). */
  lost(names: string[]): Promise<void>;
  /** Passes running on a cluster (only idle clusters are handed over). */
  busy(name: string): number;
}

/** How long a registration waits for others of its burst before the leases are looked at. */
const CLAIM_DELAY_MS = 100;

export class LeaseKeeper {
  private readonly logger = new Logger(LeaseKeeper.name);
  private readonly held = new Set<string>();
  private lastRenewedMs: number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private again = false;
  private againRenew = false;
  private claimTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly leases: ClusterLeaseRepository,
    private readonly replica: string,
    private readonly ttlMs: number,
    private readonly hooks: LeaseKeeperHooks,
    private readonly now: () => number = Date.now,
  ) {
    this.lastRenewedMs = now();
  }

  /** Clusters leased now. */
  get clusters(): ReadonlySet<string> {
    return this.held;
  }

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.tick().finally(loop), this.ttlMs / 4);
      this.timer.unref();
    };
    void this.tick().finally(loop);
  }

  /**
   * One round of heartbeat, renewal, acquisition and hand-over; concurrent
   * calls coalesce. `renew: false` (a round for new clusters) renews only
   * when a renewal is due anyway: renewing thousands of leases for every
   * registration of a burst would slow the registrations down.
   */
  tick(renew = true): Promise<void> {
    if (this.ticking) {
      this.again = true;
      this.againRenew ||= renew;
      return this.ticking;
    }
    this.ticking = (async () => {
      let renewNow = renew;
      do {
        this.again = false;
        await this.round(renewNow);
        renewNow = this.againRenew;
        this.againRenew = false;
      } while (this.again && !this.stopped);
    })().finally(() => (this.ticking = null));
    return this.ticking;
  }

  /** A cluster was registered: take it if this replica's share allows, with the rest of its burst. */
  claimNew(): void {
    if (this.claimTimer || this.stopped) return;
    this.claimTimer = setTimeout(() => {
      this.claimTimer = undefined;
      void this.tick(false);
    }, CLAIM_DELAY_MS);
    this.claimTimer.unref();
  }

  /** Gives up one cluster (deleted from the registry). */
  async drop(name: string): Promise<void> {
    if (!this.held.delete(name)) return;
    await this.hooks.lost([name]);
    await this.leases.release(this.replica, [name]).catch(() => undefined);
  }

  /** Stops ticking (no more leases taken or renewed); `stop` then releases them. */
  async halt(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.claimTimer);
    await this.ticking;
  }

  /** Stops ticking and releases every lease, so other replicas take over at once. */
  async stop(): Promise<void> {
    await this.halt();
    const names = [...this.held];
    this.held.clear();
    await this.hooks.lost(names);
    await this.leases.release(this.replica, names).catch(() => undefined);
    await this.leases.leave(this.replica).catch(() => undefined);
  }

  private async round(renew: boolean): Promise<void> {
    if (this.stopped) return;
    try {
      const replicas = await this.leases.heartbeat(this.replica, 3 * this.ttlMs);
      if (renew || this.now() - this.lastRenewedMs >= this.ttlMs / 4) {
        const renewed = new Set(await this.leases.renew(this.replica, [...this.held], this.ttlMs));
        this.lastRenewedMs = this.now();
        await this.lose([...this.held].filter((name) => !renewed.has(name)));
      }
      const known = await this.leases.clusterNames();
      const registered = new Set(known);
      const gone = [...this.held].filter((name) => !registered.has(name));
      await this.lose(gone);
      await this.leases.release(this.replica, gone);
      const share = Math.ceil(known.length / replicas);
      if (this.held.size < share) {
        const candidates = rotate(
          known.filter((name) => !this.held.has(name)),
          this.replica,
        );
        const taken = await this.leases.acquire(
          this.replica,
          candidates,
          this.ttlMs,
          share - this.held.size,
        );
        const fresh = taken.filter((name) => !this.held.has(name));
        fresh.forEach((name) => this.held.add(name));
        if (fresh.length > 0) await this.hooks.acquired(fresh);
      } else if (this.held.size > share + 1) {
        const idle = [...this.held].filter((name) => this.hooks.busy(name) === 0);
        const handOver = idle.slice(0, this.held.size - share);
        await this.lose(handOver);
        await this.leases.release(this.replica, handOver);
      }
    } catch (error) {
      this.logger.warn(`cluster lease round failed: ${(error as Error).message}`);
      if (this.now() - this.lastRenewedMs > 0.8 * this.ttlMs && this.held.size > 0) {
        this.logger.error('cluster leases could not be renewed in time; stopping every worker');
        await this.lose([...this.held]);
      }
    }
  }

  private async lose(names: string[]): Promise<void> {
    if (names.length === 0) return;
    names.forEach((name) => this.held.delete(name));
    await this.hooks.lost(names);
  }
}

/** Starts the candidate list at a replica-specific place, so replicas starting together contend less. */
function rotate(names: string[], replica: string): string[] {
  if (names.length === 0) return names;
  let hash = 0;
  for (const char of replica) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const start = hash % names.length;
  return [...names.slice(start), ...names.slice(0, start)];
}
