import { TimerQueue } from './timer-queue';

describe(TimerQueue.name, () => {
  let now = 0;
  let fired: string[] = [];
  let sut: TimerQueue;

  beforeEach(() => {
    jest.useFakeTimers();
    now = 0;
    fired = [];
    sut = new TimerQueue(
      (key) => fired.push(key),
      () => now,
    );
  });

  afterEach(() => {
    sut.stop();
    jest.useRealTimers();
  });

  const advance = (ms: number) => {
    now += ms;
    jest.advanceTimersByTime(ms);
  };

  it('fires keys in due order with one timer', () => {
    sut.schedule('b', 200);
    sut.schedule('a', 100);
    sut.schedule('c', 300);
    expect(jest.getTimerCount()).toBe(1);
    advance(150);
    expect(fired).toEqual(['a']);
    advance(200);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(sut.size).toBe(0);
  });

  it('keeps the earliest time unless rescheduled', () => {
    sut.schedule('a', 100);
    sut.schedule('a', 500);
    expect(sut.dueAt('a')).toBe(100);
    sut.reschedule('a', 500);
    advance(200);
    expect(fired).toEqual([]);
    advance(300);
    expect(fired).toEqual(['a']);
  });

  it('forgets cancelled keys', () => {
    sut.schedule('a', 100);
    sut.cancel('a');
    advance(200);
    expect(fired).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stays compact under many reschedules', () => {
    for (let i = 0; i < 10_000; i++) sut.reschedule('a', 1000 - (i % 500));
    advance(1000);
    expect(fired).toEqual(['a']);
  });

  it('orders thousands of keys', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `k${i}`);
    for (const key of [...keys].reverse()) sut.schedule(key, Number(key.slice(1)));
    advance(5000);
    expect(fired).toEqual(keys);
  });
});
