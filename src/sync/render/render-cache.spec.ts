import { RenderCache } from './render-cache';

describe(RenderCache.name, () => {
  const sizeOf = (value: string) => value.length;

  it('serves a cached value without loading again', async () => {
    const sut = new RenderCache<string>(100, sizeOf);
    const load = jest.fn(async () => 'abc');
    expect(await sut.get('k', load)).toBe('abc');
    expect(await sut.get('k', load)).toBe('abc');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('shares one load between concurrent callers', async () => {
    const sut = new RenderCache<string>(100, sizeOf);
    let release!: (value: string) => void;
    const load = jest.fn(() => new Promise<string>((resolve) => (release = resolve)));
    const both = Promise.all([sut.get('k', load), sut.get('k', load)]);
    release('v');
    expect(await both).toEqual(['v', 'v']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('evicts the least recently used entries beyond the size bound', async () => {
    const sut = new RenderCache<string>(10, sizeOf);
    await sut.get('a', async () => 'aaaa');
    await sut.get('b', async () => 'bbbb');
    await sut.get('a', async () => 'unused'); // a is now the most recent
    await sut.get('c', async () => 'cccc');
    expect(sut.stats).toEqual({ entries: 2, bytes: 8 });
    const reload = jest.fn(async () => 'bbbb');
    await sut.get('b', reload);
    expect(reload).toHaveBeenCalled();
    const kept = jest.fn(async () => 'x');
    await sut.get('c', kept);
    expect(kept).not.toHaveBeenCalled();
  });

  it('does not cache failures, values over the budget, or anything with a zero budget', async () => {
    const sut = new RenderCache<string>(3, sizeOf);
    await expect(sut.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await sut.get('k', async () => 'ok')).toBe('ok');
    expect(await sut.get('big', async () => 'toolarge')).toBe('toolarge');
    expect(sut.stats.entries).toBe(1);
    const off = new RenderCache<string>(0, sizeOf);
    const load = jest.fn(async () => 'v');
    await off.get('k', load);
    await off.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
