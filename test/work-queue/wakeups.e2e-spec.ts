/**
 * Work is picked up when it arrives, never after the idle poll: a wake that
 * lands while the loop is busy (claiming, finishing an item) must not be
 * lost, and an item scheduled for later runs when it falls due.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { WorkQueueRepository } from '../../src/work-queue/work-queue.repository';
import { WorkHandler, WorkQueue } from '../../src/work-queue/work-queue.service';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventually } from '../support/wait';

/** Far longer than any deadline below: only a wake can explain a prompt run. */
const IDLE_POLL_MS = 120_000;

describe('work queue wake-ups', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repo: WorkQueueRepository;
  const queues: WorkQueue[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url, 4)).initialize();
    repo = new WorkQueueRepository(dataSource);
  });

  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.onApplicationShutdown()));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  async function startQueue(kind: string, handler: WorkHandler): Promise<WorkQueue> {
    const queue = new WorkQueue(repo, db.url);
    queues.push(queue);
    await queue.onModuleInit();
    queue.register(kind, handler, { concurrency: 2, idlePollMs: IDLE_POLL_MS });
    queue.start();
    return queue;
  }

  it('runs every request promptly, including those arriving while an item finishes', async () => {
    // Given a worker whose idle poll would take minutes,
    const done = new Set<string>();
    await startQueue('prompt', async (item) => void done.add(item.targetId));
    // when requests arrive back to back (each racing the end of the previous run),
    for (let i = 0; i < 30; i++) {
      const target = randomUUID();
      await repo.enqueue([{ kind: 'prompt', targetId: target, reason: `request ${i}` }]);
      // then each one runs long before the idle poll.
      await eventually(async () => done.has(target), 10_000, `request ${i} run`);
    }
  });

  it('runs an item scheduled for later when it falls due', async () => {
    const done: string[] = [];
    const queue = await startQueue('later', async (item) => void done.push(item.targetId));
    const target = randomUUID();
    const due = Date.now() + 300;
    await queue.schedule([
      { kind: 'later', targetId: target, reason: 'poll', notBefore: new Date(due) },
    ]);
    await eventually(async () => done.includes(target), 10_000, 'scheduled item run');
    expect(Date.now()).toBeGreaterThanOrEqual(due);
  });

  it('leaves an item already queued untouched when it is scheduled again', async () => {
    const target = randomUUID();
    const later = new Date(Date.now() + 3_600_000);
    await repo.schedule([
      { kind: 'untouched', targetId: target, reason: 'first', notBefore: later },
    ]);
    await repo.schedule([{ kind: 'untouched', targetId: target, reason: 'again' }]);
    const [item] = await repo.pending('untouched');
    expect(item).toMatchObject({ targetId: target, reasons: ['first'], claimedBy: null });
    expect(item.notBefore.getTime()).toBe(later.getTime());
  });
});
