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
});
