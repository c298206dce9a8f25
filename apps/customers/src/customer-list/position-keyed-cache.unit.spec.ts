import { PositionKeyedCache } from './position-keyed-cache';

describe('PositionKeyedCache', () => {
  it('answers from the cache while the position stays, and recomputes once it moves', async () => {
    const cache = new PositionKeyedCache<number>();
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.get(5n, 'k', compute)).toBe(1);
    expect(await cache.get(5n, 'k', compute)).toBe(1);
    expect(await cache.get(5n, 'other', compute)).toBe(2);
    expect(await cache.get(6n, 'k', compute)).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('shares one computation between concurrent callers', async () => {
    const cache = new PositionKeyedCache<number>();
    let calls = 0;
    const compute = () => new Promise<number>((resolve) => setImmediate(() => resolve(++calls)));
    expect(await Promise.all([cache.get(1n, 'k', compute), cache.get(1n, 'k', compute)])).toEqual([1, 1]);
  });

  it('does not keep failures, bypasses without a position, and evicts the least recently used', async () => {
    const cache = new PositionKeyedCache<string>(2);
    await expect(cache.get(1n, 'k', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await Promise.resolve();
    expect(await cache.get(1n, 'k', async () => 'ok')).toBe('ok');
    expect(await cache.get(undefined, 'k', async () => 'fresh')).toBe('fresh');
    await cache.get(1n, 'a', async () => 'a');
    await cache.get(1n, 'k', async () => 'not used'); // touches k
    await cache.get(1n, 'b', async () => 'b'); // evicts a
    expect(await cache.get(1n, 'a', async () => 'a2')).toBe('a2');
    expect(await cache.get(1n, 'b', async () => 'b2')).toBe('b');
  });
});
