import { createHash } from 'node:crypto';

/**
 * A UUID (RFC 9562 version 8, name-based on SHA-256) that is the same for the same parts: for
 * event ids of commands that must not write twice when retried (the event store treats an
 * already stored id with the same content as a no-op). Parts are length-prefixed, so
 * ('ab', 'c') and ('a', 'bc') differ.
 */
export function deterministicUuid(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:${part};`);
  const b = hash.digest().subarray(0, 16);
  b[6] = 0x80 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
