import { ListResponseCache } from './list-response-cache';

describe('ListResponseCache', () => {
  const body = (s: string) => Buffer.from(s);

  it('answers only at the position the answer was stored at, and forgets everything once it moves', () => {
    const cache = new ListResponseCache();
    cache.set(5n, 'k', body('a'));
    expect(cache.get(5n, 'k')?.toString()).toBe('a');
    expect(cache.get(6n, 'k')).toBeUndefined();
    cache.set(6n, 'other', body('b'));
    expect(cache.get(5n, 'k')).toBeUndefined();
    expect(cache.get(6n, 'k')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('never caches without a known position', () => {
    const cache = new ListResponseCache();
    cache.set(undefined, 'k', body('a'));
    expect(cache.get(undefined, 'k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the least recently stored entry beyond its size', () => {
    const cache = new ListResponseCache(2);
    cache.set(1n, 'a', body('a'));
    cache.set(1n, 'b', body('b'));
    cache.set(1n, 'c', body('c'));
    expect(cache.get(1n, 'a')).toBeUndefined();
    expect(cache.get(1n, 'c')?.toString()).toBe('c');
  });

  it('keys on the exact credentials and URL, and never caches read-your-writes requests', () => {
    expect(ListResponseCache.key({ authorization: 'Bearer x' }, '/api/v1/customers?a=1')).toBe('Bearer x\n/api/v1/customers?a=1');
    expect(ListResponseCache.key({}, '/api/v1/customers')).toBeUndefined();
    expect(ListResponseCache.key({ authorization: 'Bearer x', 'x-min-position': '5' }, '/api/v1/customers')).toBeUndefined();
  });
});
