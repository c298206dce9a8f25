import { decideAfterFailure, isTransientDatabaseError, transientRetry } from './failure-policy';

const options = { maxAttempts: 3, backoff: { initialMs: 100, maxMs: 1000, jitter: 0 } };
const ctx = (over: Partial<Parameters<typeof decideAfterFailure>[0]>) => ({
  batchSize: 1,
  transient: false,
  transientStreak: 0,
  eventAttempts: 0,
  ...over,
});

describe('decideAfterFailure', () => {
  it('splits a failed batch of several events into one event per transaction', () => {
    expect(decideAfterFailure(ctx({ batchSize: 10 }), options)).toEqual({ action: 'isolate', delayMs: 100 });
  });

  it('retries a single failing event with a growing delay until its attempts are used up, then parks it', () => {
    expect(decideAfterFailure(ctx({ eventAttempts: 1 }), options)).toEqual({ action: 'retry-event', delayMs: 100 });
    expect(decideAfterFailure(ctx({ eventAttempts: 2 }), options)).toEqual({ action: 'retry-event', delayMs: 200 });
    expect(decideAfterFailure(ctx({ eventAttempts: 3 }), options)).toEqual({ action: 'park' });
  });

  it('parks at once when maxAttempts is 1', () => {
    expect(decideAfterFailure(ctx({ eventAttempts: 1 }), { ...options, maxAttempts: 1 })).toEqual({ action: 'park' });
  });

  it('never parks or splits on a transient failure: it retries the same work, capped at maxMs', () => {
    expect(decideAfterFailure(ctx({ transient: true, transientStreak: 1, eventAttempts: 99 }), options)).toEqual({
      action: 'retry',
      delayMs: 100,
    });
    expect(decideAfterFailure(ctx({ batchSize: 50, transient: true, transientStreak: 20 }), options)).toEqual({
      action: 'retry',
      delayMs: 1000,
    });
    expect(transientRetry(3, options)).toEqual({ action: 'retry', delayMs: 400 });
  });

  it('jitters delays downwards only, within the configured share', () => {
    const jittered = { ...options, backoff: { initialMs: 1000, maxMs: 1000, jitter: 0.5 } };
    expect(transientRetry(1, jittered, () => 0).delayMs).toBe(500);
    expect(transientRetry(1, jittered, () => 0.999999).delayMs).toBe(1000);
  });
});

describe('isTransientDatabaseError', () => {
  const pgError = (code: string) => Object.assign(new Error('x'), { code });

  it.each(['57P01', '08006', '08003', '40001', '40P01', '53300', 'ECONNRESET', 'ECONNREFUSED'])('%s is transient', (code) => {
    expect(isTransientDatabaseError(pgError(code))).toBe(true);
  });

  it.each(['23505', '42P01', '22P02', '57014'])('%s is not (the handler or its SQL is at fault)', (code) => {
    expect(isTransientDatabaseError(pgError(code))).toBe(false);
  });

  it('knows node-postgres messages for dropped connections, and nothing else by message', () => {
    expect(isTransientDatabaseError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientDatabaseError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isTransientDatabaseError(new Error('customer not found'))).toBe(false);
    expect(isTransientDatabaseError('boom')).toBe(false);
    expect(isTransientDatabaseError(null)).toBe(false);
  });
});
