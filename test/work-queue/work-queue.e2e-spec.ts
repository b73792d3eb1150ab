import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { WorkItem, WorkQueueRepository } from '../../src/work-queue/work-queue.repository';
import { WorkHandler, WorkQueue } from '../../src/work-queue/work-queue.service';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('durable work queue', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repo: WorkQueueRepository;
  const queues: WorkQueue[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url, 6)).initialize();
    repo = new WorkQueueRepository(dataSource);
  });

  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.onApplicationShutdown()));
    await dataSource.query('DELETE FROM work_queue');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  async function startQueue(
    kind: string,
    handler: WorkHandler,
    concurrency = 4,
    leaseMs?: number,
  ): Promise<WorkQueue> {
    const queue = new WorkQueue(repo, db.url);
    queues.push(queue);
    await queue.onModuleInit();
    queue.register(kind, handler, { concurrency, leaseMs, backoffMs: () => 50, idlePollMs: 200 });
    queue.start();
    return queue;
  }

  const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not reached');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('coalesces a burst for one target into one run', async () => {
    const target = randomUUID();
    await repo.enqueue(
      Array.from({ length: 50 }, (_, i) => ({
        kind: 'burst',
        targetId: target,
        reason: `event ${i}`,
      })),
    );
    const runs: WorkItem[] = [];
    await startQueue('burst', async (item) => void runs.push(item));
    await until(async () => (await repo.pending('burst')).length === 0 && runs.length > 0);
    expect(runs).toHaveLength(1);
    expect(runs[0].reasons).toHaveLength(10);
  });

  it('runs again when a request arrives while the item is being worked on', async () => {
    const target = randomUUID();
    let runs = 0;
    let release!: () => void;
    const firstRunBlocked = new Promise<void>((r) => (release = r));
    await startQueue('rerun', async () => {
      runs++;
      if (runs === 1) await firstRunBlocked;
    });
    await repo.enqueue([{ kind: 'rerun', targetId: target, reason: 'first' }]);
    await until(() => runs === 1);
    await repo.enqueue([{ kind: 'rerun', targetId: target, reason: 'second, during the run' }]);
    release();
    await until(() => runs === 2);
    await until(async () => (await repo.pending('rerun')).length === 0);
    expect(runs).toBe(2);
  });

  it('never runs one target in two workers at once, across processes', async () => {
    const targets = Array.from({ length: 20 }, () => randomUUID());
    const active = new Set<string>();
    let overlaps = 0;
    let runs = 0;
    const handler: WorkHandler = async (item) => {
      if (active.has(item.targetId)) overlaps++;
      active.add(item.targetId);
      await new Promise((r) => setTimeout(r, 5));
      active.delete(item.targetId);
      runs++;
    };
    await startQueue('exclusive', handler);
    await startQueue('exclusive', handler);
    for (let round = 0; round < 5; round++) {
      await repo.enqueue(
        targets.map((targetId) => ({ kind: 'exclusive', targetId, reason: `round ${round}` })),
      );
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(async () => (await repo.pending('exclusive')).length === 0);
    expect(overlaps).toBe(0);
    expect(runs).toBeGreaterThanOrEqual(20);
  });

  it('retries a failure with backoff and records the error', async () => {
    const target = randomUUID();
    let attempts = 0;
    await startQueue('flaky', async () => {
      attempts++;
      if (attempts < 3) throw new Error(`transient ${attempts}`);
    });
    await repo.enqueue([{ kind: 'flaky', targetId: target, reason: 'go' }]);
    await until(() => attempts === 3);
    await until(async () => (await repo.pending('flaky')).length === 0);
  });

  it('records an error that quotes a NUL, written out as text, and retries', async () => {
    const target = randomUUID();
    let attempts = 0;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await startQueue('quoting', async () => {
      attempts++;
      // A generator error quoting a value read from a Git file.
      if (attempts === 1) throw new Error('duplicate key env with different value, a: pr\u0000od');
      await held; // the retry holds its claim while the recorded error is read
    });
    await repo.enqueue([{ kind: 'quoting', targetId: target, reason: 'go' }]);
    await until(() => attempts === 2);
    const [item] = await repo.pending('quoting');
    release();
    expect(item.lastError).toBe('duplicate key env with different value, a: pr\\u0000od');
    expect(item.attempts).toBe(1);
  });

  it('keeps periodic items scheduled', async () => {
    const target = randomUUID();
    const rerunAt = new Date(Date.now() + 60_000);
    await startQueue('periodic', async () => ({ rerunAt }));
    await repo.enqueue([{ kind: 'periodic', targetId: target, reason: 'poll' }]);
    await until(async () => {
      const [item] = await repo.pending('periodic');
      return item !== undefined && Math.abs(item.notBefore.getTime() - rerunAt.getTime()) < 5;
    });
  });

  it('hands the work of a crashed process to another once its lease runs out, and loses nothing', async () => {
    const target = randomUUID();
    await repo.enqueue([{ kind: 'crash', targetId: target, reason: 'before the crash' }]);
    // A process claims the item and dies without finishing (no heartbeat, no completion).
    const [claimed] = await repo.claim('crash', 'dead-process', 1, 300);
    expect(claimed.targetId).toBe(target);
    // A fresh process finishes it after the lease.
    const done: string[] = [];
    await startQueue('crash', async (item) => void done.push(item.targetId));
    await until(() => done.length === 1, 5000);
    expect(done).toEqual([target]);
  });
});
