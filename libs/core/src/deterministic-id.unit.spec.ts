import { deterministicUuid } from './deterministic-id';
import { isUuid } from './ids';

describe('deterministicUuid', () => {
  it('is a version-8 UUID that is the same for the same parts', () => {
    const id = deterministicUuid('apply', 'request-1', 'customer-1');
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('8');
    expect(deterministicUuid('apply', 'request-1', 'customer-1')).toBe(id);
  });

  it('differs when any part differs, including where parts are split', () => {
    const ids = new Set([
      deterministicUuid('apply', 'request-1', 'customer-1'),
      deterministicUuid('apply', 'request-1', 'customer-2'),
      deterministicUuid('apply', 'request-2', 'customer-1'),
      deterministicUuid('ab', 'c'),
      deterministicUuid('a', 'bc'),
    ]);
    expect(ids.size).toBe(5);
  });
});
