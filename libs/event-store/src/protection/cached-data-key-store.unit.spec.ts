import { FakeClock } from '@platform/core';
import { CachedDataKeyStore } from './cached-data-key-store';
import { SubjectShreddedError } from './errors';
import { InMemoryDataKeyStore } from './in-memory-data-key-store';

describe('CachedDataKeyStore', () => {
  it('serves keys from memory, evicts the least recently used, and expires after the TTL', async () => {
    const inner = new InMemoryDataKeyStore();
    const clock = new FakeClock();
    const cache = new CachedDataKeyStore(inner, { maxEntries: 2, ttlMs: 1000, clock });
    const a = await cache.getOrCreate('a');
    await cache.getOrCreate('b');
    const calls = inner.lookups;
    expect(await cache.getOrCreate('a')).toBe(a); // a is now most recent
    expect(inner.lookups).toBe(calls);
    await cache.getOrCreate('c'); // evicts b
    expect(cache.size).toBe(2);
    await cache.getMany(['a', 'b']);
    expect(inner.lookups).toBe(calls + 2); // c created, b fetched again
    clock.advance(1001);
    await cache.getMany(['a']);
    expect(inner.lookups).toBe(calls + 3);
  });

  it('never serves a key after shred, even one that was cached', async () => {
    const inner = new InMemoryDataKeyStore();
    const cache = new CachedDataKeyStore(inner);
    await cache.getOrCreate('a');
    await cache.shred('a');
    await expect(cache.getOrCreate('a')).rejects.toBeInstanceOf(SubjectShreddedError);
    expect((await cache.getMany(['a'])).get('a')).toEqual({ status: 'shredded' });
  });

  it('does not cache a key whose lookup raced with a shred', async () => {
    const inner = new InMemoryDataKeyStore();
    await inner.getOrCreate('a');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = {
      getOrCreate: (id: string) => inner.getOrCreate(id),
      getMany: async (ids: readonly string[]) => {
        const result = await inner.getMany(ids); // read before the shred…
        await gate; // …answered after it
        return result;
      },
      shred: (id: string) => inner.shred(id),
    };
    const cache = new CachedDataKeyStore(slow);
    const inFlight = cache.getMany(['a']);
    await cache.shred('a');
    release();
    expect((await inFlight).get('a')).toEqual({ status: 'shredded' });
    expect((await cache.getMany(['a'])).get('a')).toEqual({ status: 'shredded' });
  });
});
