import { TokenBucket } from './request-metrics.writer';

describe('TokenBucket', () => {
  it('gives a burst of one second, then the rate', () => {
    const b = new TokenBucket(3, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    // 3 a second: one more after a third of a second, none before.
    expect(b.take(200)).toBe(false);
    expect(b.take(340)).toBe(true);
    expect(b.take(340)).toBe(false);
    // Never more than one second's worth, however long it idled.
    const taken = Array.from({ length: 10 }, () => b.take(60_000)).filter(Boolean);
    expect(taken).toHaveLength(3);
  });
});
