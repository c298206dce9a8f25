import { currentRequestContext } from '@platform/service-kit';
import type { Request } from 'express';

/**
 * What a retried request shares with its first attempt: its Idempotency-Key, else its request
 * id (`X-Request-Id`). Commands derive event ids from it, so a retry after a failure part-way
 * finds what the first attempt appended instead of appending it again.
 */
export function requestKeyOf(req: Request): string {
  const key = req.headers['idempotency-key'];
  const value = Array.isArray(key) ? key[0] : key;
  return value !== undefined && value.length > 0 ? `key:${value}` : `request:${currentRequestContext()?.requestId ?? ''}`;
}
