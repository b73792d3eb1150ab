import { ApplicationSource } from '../../../argo/application.types';
import { RevisionTracker } from './revision-tracker';

const main: ApplicationSource = {
  repoURL: 'https://git.example.com/a.git',
  targetRevision: 'main',
};
const pinned: ApplicationSource = { ...main, targetRevision: 'a'.repeat(40) };

describe(RevisionTracker.name, () => {
  let now = 0;
  let heads: Record<string, string>;
  let calls: string[];
  let moved: string[][];
  let sut: RevisionTracker;

  beforeEach(() => {
    now = 0;
    heads = { main: 'c1' };
    calls = [];
    moved = [];
    sut = new RevisionTracker(
      async (source) => {
        calls.push(source.targetRevision ?? '');
        return heads[source.targetRevision ?? ''] ?? source.targetRevision!;
      },
      (followers) => moved.push(followers),
      { ttlMs: 1000, concurrency: 4 },
      () => now,
    );
  });

  it('resolves a revision once for all its followers while fresh', async () => {
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((app) => sut.resolve(app, { ...main, path: app })),
    );
    expect(answers).toEqual(['c1', 'c1', 'c1']);
    expect(calls).toEqual(['main']);
    now = 500;
    expect(await sut.resolve('a', main)).toBe('c1');
    expect(calls).toEqual(['main']);
    expect(sut.size).toBe(1);
  });

  it('wakes every follower when a poll sees the branch move', async () => {
    await sut.resolve('a', main);
    await sut.resolve('b', main);
    heads.main = 'c2';
    await sut.poll();
    expect(moved).toEqual([['a', 'b']]);
    await sut.poll();
    expect(moved).toHaveLength(1);
  });

  it('has each repository fetched once at the start of every poll, pinned commits aside', async () => {
    const refreshed: string[] = [];
    const tracker = new RevisionTracker(
      async (source) => heads[source.targetRevision ?? ''] ?? source.targetRevision!,
      () => undefined,
      { ttlMs: 1000, concurrency: 4, beforePoll: (repoURL) => refreshed.push(repoURL) },
    );
    await tracker.resolve('a', main);
    await tracker.resolve('b', { ...main, targetRevision: 'release' });
    await tracker.resolve('c', { ...main, repoURL: 'https://git.example/other.git' });
    await tracker.resolve('d', {
      ...main,
      repoURL: 'https://git.example/pinned.git',
      targetRevision: 'a'.repeat(40),
    });
    expect(refreshed).toEqual([]);
    await tracker.poll();
    expect(refreshed.sort()).toEqual([main.repoURL, 'https://git.example/other.git'].sort());
  });

  it('wakes the other followers when a pass notices the move first', async () => {
    await sut.resolve('a', main);
    await sut.resolve('b', main);
    heads.main = 'c2';
    now = 2000;
    expect(await sut.resolve('a', main)).toBe('c2');
    expect(moved).toEqual([['b']]);
  });

  it('resolves again on request, and never polls a pinned commit', async () => {
    await sut.resolve('a', main);
    await sut.resolve('p', pinned);
    heads.main = 'c2';
    expect(await sut.resolve('a', main, true)).toBe('c2');
    calls = [];
    await sut.poll();
    expect(calls).toEqual(['main']);
  });

  it('resolves the revisions of pushed repositories at once, told each repository first', async () => {
    const other: ApplicationSource = {
      repoURL: 'https://git.example.com/b.git',
      targetRevision: 'main',
    };
    await sut.resolve('a', main);
    await sut.resolve('b', other);
    await sut.resolve('p', pinned);
    heads.main = 'c2';
    calls = [];
    const told: string[] = [];
    await sut.refreshRepositories(
      (url) => url === main.repoURL,
      (url) => told.push(url),
    );
    expect(told).toEqual([main.repoURL]);
    expect(calls).toEqual(['main']);
    expect(moved).toEqual([['a']]);
  });

  it('polls no more once stopped, even when a poll was running at the time', async () => {
    jest.useFakeTimers();
    try {
      let release!: () => void;
      let resolves = 0;
      const slow = new RevisionTracker(
        () => {
          resolves++;
          return new Promise<string>((resolve) => (release = () => resolve('c1')));
        },
        () => undefined,
        { ttlMs: 1000, concurrency: 1 },
      );
      void slow.resolve('a', main);
      release();
      await Promise.resolve();
      slow.start();
      await jest.advanceTimersByTimeAsync(1_200); // a poll starts and waits for its resolve
      expect(resolves).toBe(2);
      slow.stop();
      release();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(resolves).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('polls at a fixed rate: a slow poll does not push the next one back', async () => {
    jest.useFakeTimers();
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter
    try {
      const started: number[] = [];
      const tracker = new RevisionTracker(
        () => {
          started.push(Date.now());
          return new Promise<string>((resolve) => setTimeout(() => resolve('c1'), 800));
        },
        () => undefined,
        { ttlMs: 1000, concurrency: 1 },
      );
      const t0 = Date.now();
      const first = tracker.resolve('a', main);
      await jest.advanceTimersByTimeAsync(800);
      await first;
      tracker.start();
      await jest.advanceTimersByTimeAsync(3_100);
      tracker.stop();
      // Resolves at 0 (the pass), then polls at 1.8, 2.8 and 3.8 s: one period apart, not 1.8 s.
      expect(started.map((at) => at - t0)).toEqual([0, 1_800, 2_800, 3_800]);
    } finally {
      random.mockRestore();
      jest.useRealTimers();
    }
  });

  it('forgets revisions nobody follows', async () => {
    await sut.resolve('a', main);
    await sut.resolve('a', { ...main, targetRevision: 'dev' });
    expect(sut.size).toBe(1);
    sut.forget('a');
    expect(sut.size).toBe(0);
  });

  it('keeps the last commit when a poll fails', async () => {
    await sut.resolve('a', main);
    const failing = new RevisionTracker(
      async () => {
        throw new Error('fetch failed');
      },
      (followers) => moved.push(followers),
      { ttlMs: 1000, concurrency: 1 },
      () => now,
    );
    await expect(failing.resolve('a', main)).rejects.toThrow('fetch failed');
    await failing.poll();
    expect(moved).toEqual([]);
  });

  describe('an Application with several sources', () => {
    const values: ApplicationSource = { repoURL: 'https://git.example.com/values.git' };

    it('resolves each source in order and is woken when any of them moves', async () => {
      heads.HEAD = 'v1';
      const valuesHead = { ...values, targetRevision: 'HEAD' };
      expect(await sut.resolveAll('a', [main, valuesHead])).toEqual(['c1', 'v1']);
      expect(sut.size).toBe(2);
      heads.HEAD = 'v2';
      await sut.poll();
      expect(moved).toEqual([['a']]);
      expect(await sut.resolveAll('a', [main, valuesHead])).toEqual(['c1', 'v2']);
    });

    it('stops following a source the Application dropped, and all of them when forgotten', async () => {
      await sut.resolveAll('a', [main, { ...values, targetRevision: 'main' }]);
      await sut.resolve('b', main);
      expect(sut.size).toBe(2);
      await sut.resolveAll('a', [main]);
      expect(sut.size).toBe(1);
      heads.main = 'c2';
      await sut.poll();
      expect(moved).toEqual([['a', 'b']]);
      sut.forget('a');
      sut.forget('b');
      expect(sut.size).toBe(0);
    });
  });
});
