import { ClusterLeaseRepository } from '../persistence/cluster-lease.repository';
import { LeaseKeeper } from './lease-keeper';

/** Leases in memory, counting the statements a real repository would run. */
class FakeLeases {
  readonly clusters: string[] = [];
  readonly holders = new Map<string, string>();
  calls = { renew: 0, acquire: 0 };

  async heartbeat(): Promise<number> {
    return 1;
  }
  async renew(holder: string, names: readonly string[]): Promise<string[]> {
    this.calls.renew++;
    return names.filter((name) => this.holders.get(name) === holder);
  }
  async clusterNames(): Promise<string[]> {
    return [...this.clusters];
  }
  async acquire(holder: string, names: readonly string[], _ttl: number, limit: number) {
    this.calls.acquire++;
    const free = names.filter((name) => !this.holders.has(name)).slice(0, limit);
    free.forEach((name) => this.holders.set(name, holder));
    return free;
  }
  async release(): Promise<void> {}
  async leave(): Promise<void> {}
}

describe(LeaseKeeper.name, () => {
  let leases: FakeLeases;
  let acquired: string[];
  let sut: LeaseKeeper;

  beforeEach(() => {
    leases = new FakeLeases();
    acquired = [];
    sut = new LeaseKeeper(leases as unknown as ClusterLeaseRepository, 'replica-a', 30_000, {
      acquired: async (names) => {
        acquired.push(...names);
      },
      lost: async () => undefined,
      busy: () => 0,
    });
  });
  afterEach(() => sut.halt());

  it('renews every lease it holds in a regular round', async () => {
    leases.clusters.push('a', 'b');
    await sut.tick();
    await sut.tick();
    expect(acquired).toEqual(['a', 'b']);
    expect(leases.calls.renew).toBe(2);
  });

  it('takes the clusters of a registration burst in one round, without renewing what it holds', async () => {
    // Given a replica holding a cluster, just renewed
    leases.clusters.push('held');
    await sut.tick();
    const renewsBefore = leases.calls.renew;
    // When a hundred clusters are registered in a burst
    for (let i = 0; i < 100; i++) {
      leases.clusters.push(`new-${i}`);
      sut.claimNew();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Then one round took them all, and renewed nothing (no renewal was due)
    expect(acquired).toHaveLength(101);
    expect(leases.calls.acquire).toBe(2);
    expect(leases.calls.renew).toBe(renewsBefore);
  });
});
