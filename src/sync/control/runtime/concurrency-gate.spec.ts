import { ConcurrencyGate } from './concurrency-gate';

describe(ConcurrencyGate.name, () => {
  it('grants up to the limit and then in arrival order', async () => {
    const sut = new ConcurrencyGate(2);
    const order: string[] = [];
    const a = await sut.acquire();
    const b = await sut.acquire();
    const c = sut.acquire().then((release) => (order.push('c'), release));
    const d = sut.acquire().then((release) => (order.push('d'), release));
    expect(sut.active).toBe(2);
    expect(sut.waiting).toBe(2);
    b();
    b(); // a second release of the same slot changes nothing
    await c;
    expect(order).toEqual(['c']);
    expect(sut.active).toBe(2);
    a();
    (await d)();
    (await c)();
    expect(order).toEqual(['c', 'd']);
    expect(sut.active).toBe(0);
  });

  it('lends a held slot to the next waiter and takes it back ahead of new callers', async () => {
    // Given a gate of one slot, held, with a caller waiting
    const sut = new ConcurrencyGate(1);
    const order: string[] = [];
    const holder = await sut.acquire();
    const waiter = sut.acquire().then((release) => (order.push('waiter'), release));
    // When the holder lends its slot for a wait
    const takeBack = sut.lend()!;
    const release = await waiter;
    // Then the waiter runs on it, and the loan is counted
    expect(order).toEqual(['waiter']);
    expect(sut.lentOut).toBe(1);
    // When the holder wants it back while a newer caller also waits
    const late = sut.acquire().then((release) => (order.push('late'), release));
    const back = takeBack().then(() => order.push('holder'));
    release();
    await back;
    // Then the holder gets it first, and the newer caller only after it is released
    expect(order).toEqual(['waiter', 'holder']);
    expect(sut.lentOut).toBe(0);
    holder();
    (await late)();
    expect(order).toEqual(['waiter', 'holder', 'late']);
    expect(sut.active).toBe(0);
  });

  it('lends no more than its loan limit, so passes in memory stay bounded', async () => {
    const sut = new ConcurrencyGate(2, 1);
    await sut.acquire();
    await sut.acquire();
    const takeBack = sut.lend();
    expect(takeBack).toBeDefined();
    // A second loan would let a fourth pass start while three are unfinished.
    expect(sut.lend()).toBeUndefined();
    // Taking back a free slot is immediate, and a second call changes nothing.
    await takeBack!();
    await takeBack!();
    expect(sut.active).toBe(2);
    expect(sut.lentOut).toBe(0);
    expect(sut.lend()).toBeDefined();
  });

  it('counts a loan until the slot is back, even while its borrower queues for it', async () => {
    const sut = new ConcurrencyGate(1, 1);
    await sut.acquire();
    const takeBack = sut.lend()!;
    const other = await sut.acquire();
    const back = takeBack();
    expect(sut.lentOut).toBe(1);
    expect(sut.lend()).toBeUndefined();
    other();
    await back;
    expect(sut.lentOut).toBe(0);
  });
});
