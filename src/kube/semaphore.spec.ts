import { Semaphore } from './semaphore';

describe(Semaphore.name, () => {
  it('grants up to its capacity and hands a freed slot to the next waiter', async () => {
    const sut = new Semaphore(2);
    const first = await sut.acquire();
    await sut.acquire();
    let third = false;
    const waiting = sut.acquire().then((release) => {
      third = true;
      return release;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    expect(sut.waiting).toBe(1);
    first();
    first(); // a second call is ignored
    (await waiting)();
    expect(third).toBe(true);
    expect(sut.inUse).toBe(1);
  });

  it('lets a waiter give up when its signal aborts', async () => {
    const sut = new Semaphore(1);
    const release = await sut.acquire();
    const controller = new AbortController();
    const waiting = sut.acquire(controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(sut.waiting).toBe(0);
    release();
    expect(sut.inUse).toBe(0);
  });

  it('refuses a capacity below one', () => {
    expect(() => new Semaphore(0)).toThrow(/positive integer/);
  });
});
