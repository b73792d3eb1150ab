import { FetchScheduler } from './fetch-scheduler';

/** A fetch function whose calls are counted and completed by the test. */
function controllableFetch() {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const fetch = jest.fn(
    () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
  );
  return { fetch, pending };
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(FetchScheduler.name, () => {
  let clock: number;
  let sut: FetchScheduler;
  beforeEach(() => {
    clock = 1_000;
    sut = new FetchScheduler({ intervalMs: 180_000, now: () => clock });
  });

  it('fetches once per interval however many calls come', async () => {
    const fetch = jest.fn(async () => undefined);
    await sut.ensureFresh('repo', fetch);
    clock += 179_999;
    await sut.ensureFresh('repo', fetch);
    expect(fetch).toHaveBeenCalledTimes(1);
    clock += 1;
    await sut.ensureFresh('repo', fetch);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('shares one fetch between concurrent callers (single-flight)', async () => {
    const { fetch, pending } = controllableFetch();
    const calls = Array.from({ length: 10 }, () => sut.ensureFresh('repo', fetch));
    await settle();
    expect(fetch).toHaveBeenCalledTimes(1);
    pending[0].resolve();
    await Promise.all(calls);
  });

  it('gives every concurrent caller the failure, and remembers no success', async () => {
    const { fetch, pending } = controllableFetch();
    const calls = [sut.ensureFresh('repo', fetch), sut.ensureFresh('repo', fetch)];
    await settle();
    pending[0].reject(new Error('unreachable'));
    for (const call of calls) await expect(call).rejects.toThrow('unreachable');
    const retry = sut.ensureFresh('repo', fetch);
    await settle();
    expect(fetch).toHaveBeenCalledTimes(2);
    pending[1].resolve();
    await retry;
  });

  it('fetches within the interval after an invalidation', async () => {
    const fetch = jest.fn(async () => undefined);
    await sut.ensureFresh('repo', fetch);
    sut.invalidate('repo');
    await sut.ensureFresh('repo', fetch);
    await sut.ensureFresh('repo', fetch);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('queues exactly one newer fetch when invalidated while a fetch runs', async () => {
    const { fetch, pending } = controllableFetch();
    const before = sut.ensureFresh('repo', fetch);
    await settle();
    sut.invalidate('repo');
    const after = [sut.ensureFresh('repo', fetch), sut.ensureFresh('repo', fetch)];
    await settle();
    // The running fetch may have missed the change behind the invalidation: nobody after it is served by it.
    expect(fetch).toHaveBeenCalledTimes(1);
    pending[0].resolve();
    await before;
    await settle();
    expect(fetch).toHaveBeenCalledTimes(2);
    pending[1].resolve();
    await Promise.all(after);
    await sut.ensureFresh('repo', fetch);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('with stale=true fetches despite a recent success, but still joins a running fetch', async () => {
    const { fetch, pending } = controllableFetch();
    const first = sut.ensureFresh('repo', fetch);
    const stale = sut.ensureFresh('repo', fetch, true);
    await settle();
    expect(fetch).toHaveBeenCalledTimes(1);
    pending[0].resolve();
    await Promise.all([first, stale]);
    const again = sut.ensureFresh('repo', fetch, true);
    await settle();
    expect(fetch).toHaveBeenCalledTimes(2);
    pending[1].resolve();
    await again;
  });

  it('keeps repositories independent', async () => {
    const fetch = jest.fn(async () => undefined);
    await sut.ensureFresh('a', fetch);
    await sut.ensureFresh('b', fetch);
    sut.invalidate('a');
    await sut.ensureFresh('b', fetch);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
