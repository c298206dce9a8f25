export interface TokenBucketOptions {
  /** Tokens added per minute (the sustained rate). */
  perMinute: number;
  /** Bucket capacity: how many requests may come at once. */
  burst: number;
  /** Buckets are forgotten once full again; at most this many are kept before a sweep. */
  maxBuckets?: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Until one token is available again (0 when allowed). */
  retryAfterMs: number;
  /** Until the bucket is full again. */
  resetMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * In-memory token buckets keyed by caller. Each process limits on its own: with several
 * gateway instances the effective limit is the sum (documented; a shared store is not needed
 * for a per-user fairness limit).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxBuckets: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (options.perMinute <= 0 || options.burst < 1) throw new Error('TokenBuckets: perMinute must be > 0 and burst ≥ 1');
    this.perMs = options.perMinute / 60_000;
    this.maxBuckets = options.maxBuckets ?? 100_000;
  }

  take(key: string, now: number): TakeResult {
    const { burst } = this.options;
    const bucket = this.buckets.get(key);
    let tokens = bucket ? Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs) : burst;
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    if (bucket) {
      bucket.tokens = tokens;
      bucket.at = now;
    } else {
      if (this.buckets.size >= this.maxBuckets) this.sweep(now);
      this.buckets.set(key, { tokens, at: now });
    }
    return {
      allowed,
      remaining: Math.floor(tokens),
      retryAfterMs: allowed ? 0 : Math.ceil((1 - tokens) / this.perMs),
      resetMs: Math.ceil((burst - tokens) / this.perMs),
    };
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that have refilled (they are the same as no bucket). */
  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.options.burst) this.buckets.delete(key);
    }
  }
}
