import { StatusWrite } from './sync-state.repository';
import { StatusWriter } from './status-writer';

/** A repository that records batches and lets the spec decide when each commits. */
class FakeRepository {
  readonly batches: StatusWrite[][] = [];
  private releases: (() => void)[] = [];
  held = false;
  failWith: unknown;
  lost = new Set<string>();

  async writeBatch(_holder: string, writes: readonly StatusWrite[]): Promise<Set<string>> {
    this.batches.push([...writes]);
    if (this.failWith) {
      const error = this.failWith;
      this.failWith = undefined;
      throw error;
    }
    if (this.held) await new Promise<void>((resolve) => this.releases.push(resolve));
    return new Set(writes.map((w) => w.id).filter((id) => !this.lost.has(id)));
  }

  release(): void {
    this.releases.splice(0).forEach((go) => go());
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe(StatusWriter.name, () => {
  let repo: FakeRepository;
  let sut: StatusWriter;

  beforeEach(() => {
    repo = new FakeRepository();
    sut = new StatusWriter(repo, 'me', { maxBatch: 3, delayMs: 1, lanes: 2, fenceMarginMs: 0 });
  });

  it('batches writes and reports which were fenced out', async () => {
    repo.lost.add('b');
    const results = await Promise.all(['a', 'b', 'c'].map((id) => sut.write({ id })));
    expect(results).toEqual([true, false, true]);
    expect(repo.batches.map((b) => b.map((w) => w.id))).toEqual([['a', 'b', 'c']]);
  });

  it('merges a second write of one Application while it is queued', async () => {
    const first = sut.write({ id: 'a', clearRequestId: 'r1' });
    const second = sut.write({ id: 'a', state: undefined, clearTerminationAt: 't' });
    await Promise.all([first, second]);
    expect(repo.batches).toEqual([[{ id: 'a', clearRequestId: 'r1', clearTerminationAt: 't' }]]);
  });

  it('keeps the history entries of both writes it merges, in order', async () => {
    const synced = (revision: string) => ({
      revision,
      deployedAt: '2026-12-02T03:00:00Z',
      initiatedBy: { automated: true },
    });
    const first = sut.write({ id: 'a', historyAppend: { entries: [synced('r1')], limit: 5 } });
    const second = sut.write({ id: 'a', clearRequestId: 'q' });
    const third = sut.write({ id: 'a', historyAppend: { entries: [synced('r2')], limit: 3 } });
    await Promise.all([first, second, third]);
    expect(repo.batches).toEqual([
      [
        {
          id: 'a',
          clearRequestId: 'q',
          historyAppend: { entries: [synced('r1'), synced('r2')], limit: 3 },
        },
      ],
    ]);
  });

  it('keeps the writes of one Application in order across lanes', async () => {
    repo.held = true;
    const first = sut.write({ id: 'a', clearRequestId: 'r1' });
    await tick();
    const second = sut.write({ id: 'a', clearRequestId: 'r2' });
    const other = sut.write({ id: 'b' });
    await tick();
    // The second lane took only the other Application; `a` waits for its batch in flight
    expect(repo.batches.map((b) => b.map((w) => w.id))).toEqual([['a'], ['b']]);
    repo.held = false;
    repo.release();
    await Promise.all([first, second, other]);
    expect(repo.batches.map((b) => b.map((w) => w.clearRequestId ?? w.id))).toEqual([
      ['r1'],
      ['b'],
      ['r2'],
    ]);
  });

  it('retries a deadlock and fails the writes on any other error', async () => {
    repo.failWith = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    expect(await sut.write({ id: 'a' })).toBe(true);
    repo.failWith = new Error('connection lost');
    await expect(sut.write({ id: 'b' })).rejects.toThrow('connection lost');
  });

  it('drains what is queued', async () => {
    const writes = ['a', 'b', 'c', 'd', 'e'].map((id) => sut.write({ id }));
    await sut.drain();
    expect(repo.batches.flat()).toHaveLength(5);
    await Promise.all(writes);
  });
});
