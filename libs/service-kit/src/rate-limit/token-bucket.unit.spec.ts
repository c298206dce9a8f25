import { TokenBuckets } from './token-bucket';

describe('token buckets', () => {
  it('allows a burst, then refuses until tokens refill at the sustained rate', () => {
    const buckets = new TokenBuckets({ perMinute: 60, burst: 3 });
    expect([1, 2, 3].map(() => buckets.take('u', 0).allowed)).toEqual([true, true, true]);
    const refused = buckets.take('u', 0);
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1000, resetMs: 3000 });
    expect(buckets.take('u', 999).allowed).toBe(false);
    expect(buckets.take('u', 1000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(buckets.take('u', 1500).retryAfterMs).toBe(500);
  });

  it('keeps one bucket per caller', () => {
    const buckets = new TokenBuckets({ perMinute: 60, burst: 1 });
    expect(buckets.take('alice', 0).allowed).toBe(true);
    expect(buckets.take('alice', 0).allowed).toBe(false);
    expect(buckets.take('bob', 0).allowed).toBe(true);
  });

  it('never stores more than the burst', () => {
    const buckets = new TokenBuckets({ perMinute: 600, burst: 2 });
    buckets.take('u', 0);
    expect(buckets.take('u', 3_600_000).remaining).toBe(1);
  });

  it('forgets refilled buckets when it holds too many', () => {
    const buckets = new TokenBuckets({ perMinute: 60, burst: 1, maxBuckets: 2 });
    buckets.take('a', 0);
    buckets.take('b', 0);
    buckets.take('c', 5000);
    expect(buckets.size).toBe(1);
    expect(buckets.take('c', 5000).allowed).toBe(false);
  });
});
