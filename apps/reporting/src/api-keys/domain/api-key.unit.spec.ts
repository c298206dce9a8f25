import { randomBytes } from 'node:crypto';
import { decide, foldApiKey } from './api-key.decider';
import { apiKeyMatches, formatApiKey, hashApiKey, keyIdOf, keyPrefix } from './api-key-secret';

const KEY_ID = '0192e5f0-0000-7000-8000-0000000000k1'.replace('k1', 'b1');
const P = 'partner-a';

describe('API keys', () => {
  const key = formatApiKey(KEY_ID, randomBytes(32));
  const created = { keyId: KEY_ID, partnerId: P, name: '  Backup EU ', keyHash: hashApiKey(key), prefix: keyPrefix(key) };

  it('formats a key that names its id, and matches only the exact key against the stored hash', () => {
    expect(keyIdOf(key)).toBe(KEY_ID);
    expect(keyIdOf(`${key}x`)).toBeUndefined();
    expect(keyIdOf('Bearer abc')).toBeUndefined();
    expect(apiKeyMatches(key, created.keyHash)).toBe(true);
    expect(apiKeyMatches(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'), created.keyHash)).toBe(false);
    expect(apiKeyMatches(key, 'abcd')).toBe(false);
    expect(created.keyHash).not.toContain(key.slice(-43));
  });

  it('creates once, revokes for its own partner only, idempotently', () => {
    const c = decide({ type: 'CreateApiKey', data: created }, { status: 'none' });
    if (!c.ok) throw c.error;
    expect(c.value).toEqual([{ type: 'ApiKeyCreated', data: { ...created, name: 'Backup EU' } }]);
    const active = foldApiKey(c.value);
    expect(active.status).toBe('active');
    const again = decide({ type: 'CreateApiKey', data: created }, active);
    expect(!again.ok && again.error.code).toBe('API_KEY.ALREADY_EXISTS');
    const stranger = decide({ type: 'RevokeApiKey', data: { partnerId: 'partner-b' } }, active);
    expect(!stranger.ok && stranger.error.code).toBe('API_KEY.NOT_FOUND');
    const revoked = decide({ type: 'RevokeApiKey', data: { partnerId: P } }, active);
    if (!revoked.ok) throw revoked.error;
    const state = foldApiKey([...c.value, ...revoked.value]);
    expect(state.status).toBe('revoked');
    expect(decide({ type: 'RevokeApiKey', data: { partnerId: P } }, state)).toEqual({ ok: true, value: [] });
    expect(!decide({ type: 'RevokeApiKey', data: { partnerId: P } }, { status: 'none' }).ok).toBe(true);
    const blank = decide({ type: 'CreateApiKey', data: { ...created, name: '   ' } }, { status: 'none' });
    expect(!blank.ok && blank.error.code).toBe('REQUEST.INVALID');
  });
});
