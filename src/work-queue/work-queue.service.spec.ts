import { WorkItem, WorkQueueRepository } from './work-queue.repository';
import { WorkQueue } from './work-queue.service';

/** An in-memory stand-in for the queue table, with a hook inside `msUntilNextDue`. */
class FakeQueueRepository {
  due: WorkItem[] = [];
  beforeNextDue: (() => Promise<void>) | null = null;

  async enqueue(requests: { kind: string; targetId: string }[]): Promise<void> {
    for (const r of requests)
      this.due.push({
        kind: r.kind,
        targetId: r.targetId,
        version: 1,
        attempts: 0,
        reasons: [],
        claimedAt: 0,
      });
  }
  async claim(kind: string, _owner: string, limit: number): Promise<WorkItem[]> {
    const claimed = this.due.filter((i) => i.kind === kind).slice(0, limit);
    this.due = this.due.filter((i) => !claimed.includes(i));
    return claimed;
  }
  async msUntilNextDue(): Promise<number | null> {
    const hook = this.beforeNextDue;
    this.beforeNextDue = null;
    await hook?.();
    return null;
  }
  async complete(): Promise<void> {}
  async fail(): Promise<void> {}
  async extend(): Promise<void> {}
}

describe(WorkQueue.name, () => {
  it('does not lose a request that arrives while the loop is about to sleep', async () => {
    // Given a loop with an idle poll far longer than this test,
    const repo = new FakeQueueRepository();
    const sut = new WorkQueue(repo as unknown as WorkQueueRepository, 'postgres://unused');
    const ran: string[] = [];
    sut.register('k', async (item) => void ran.push(item.targetId), {
      concurrency: 1,
      idlePollMs: 600_000,
    });
    // when a request lands exactly while the loop decides how long to sleep,
    repo.beforeNextDue = () => sut.enqueue([{ kind: 'k', targetId: 'late', reason: 'race' }]);
    sut.start();
    // then it runs at once instead of after the idle poll.
    const deadline = Date.now() + 5_000;
    while (!ran.includes('late') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    await sut.onApplicationShutdown();
    expect(ran).toEqual(['late']);
  });
});
