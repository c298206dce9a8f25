import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Key format: `rk_<key id without dashes>_<43 base64url characters of secret>`. The id part
 * finds the stored hash without scanning; the whole presented key is hashed (SHA-256 is enough
 * for a 256-bit random secret: no dictionary to protect against) and compared in constant time.
 */
const KEY_RE = /^rk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export function formatApiKey(keyId: string, secret: Buffer): string {
  return `rk_${keyId.replace(/-/g, '')}_${secret.toString('base64url')}`;
}

/** The key id a presented key claims, or undefined when it is not shaped like one of ours. */
export function keyIdOf(presented: string): string | undefined {
  const m = KEY_RE.exec(presented);
  if (!m) return undefined;
  const h = m[1];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** First characters shown in listings so people can tell keys apart. */
export function keyPrefix(key: string): string {
  return key.slice(0, 14);
}

export function apiKeyMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
