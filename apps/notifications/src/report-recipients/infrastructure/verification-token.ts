import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '@platform/core';

export interface VerificationClaims {
  customerId: string;
  tokenId: string;
  /** ISO 8601 UTC. */
  expiresAt: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

/**
 * Signed, expiring verification links (HMAC-SHA256). The token names the customer and a token
 * id (no address: links travel through mail systems and logs of others); the record with that
 * token id says which address it verifies, so a replaced or removed address's link stops working.
 */
export class VerificationTokenSigner {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly baseUrl: string,
  ) {
    // A key of its own, derived from the service secret: never valid as a JWT or invitation signature.
    this.key = createHmac('sha256', secret).update('notifications.email-verification.v1').digest();
  }

  token(claims: VerificationClaims): string {
    const payload = b64(`${claims.customerId}.${claims.tokenId}.${Math.floor(new Date(claims.expiresAt).getTime() / 1000)}`);
    return `${payload}.${this.sign(payload)}`;
  }

  link(claims: VerificationClaims): string {
    return `${this.baseUrl}/api/v1/email-verifications/${this.token(claims)}:confirm`;
  }

  /** The claims of a genuine token (expired or not), or undefined. */
  verify(token: string): VerificationClaims | undefined {
    const m = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return undefined;
    const [, payload, signature] = m;
    const expected = Buffer.from(this.sign(payload), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const [customerId, tokenId, exp] = Buffer.from(payload, 'base64url').toString('utf8').split('.');
    if (!isUuid(customerId) || !isUuid(tokenId) || !/^\d{1,12}$/.test(exp ?? '')) return undefined;
    return { customerId, tokenId, expiresAt: new Date(Number(exp) * 1000).toISOString() };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
