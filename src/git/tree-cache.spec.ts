import { TreeListingCache } from './tree-cache';

describe(TreeListingCache.name, () => {
  it('loads a listing once, also for concurrent requests', async () => {
    const sut = new TreeListingCache<number>(100);
    const load = jest.fn(async () => [1, 2, 3]);
    const results = await Promise.all([sut.get('k', load), sut.get('k', load)]);
    expect(await sut.get('k', load)).toEqual([1, 2, 3]);
    expect(results).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed load', async () => {
    const sut = new TreeListingCache<number>(100);
    await expect(sut.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(sut.get('k', async () => [1])).resolves.toEqual([1]);
  });

  it('evicts the least recently used listings beyond the entry budget', async () => {
    const sut = new TreeListingCache<number>(5);
    const load = jest.fn(async () => [1, 2]);
    await sut.get('a', load);
    await sut.get('b', load);
    await sut.get('a', load); // a is now the most recent
    await sut.get('c', load); // 6 entries > 5: b goes
    expect(load).toHaveBeenCalledTimes(3);
    await sut.get('a', load);
    await sut.get('c', load);
    expect(load).toHaveBeenCalledTimes(3);
    await sut.get('b', load);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('returns but never keeps a listing larger than the budget; 0 disables caching', async () => {
    for (const budget of [1, 0]) {
      const sut = new TreeListingCache<number>(budget);
      const load = jest.fn(async () => [1, 2]);
      await sut.get('k', load);
      await sut.get('k', load);
      expect(load).toHaveBeenCalledTimes(2);
    }
  });
});
