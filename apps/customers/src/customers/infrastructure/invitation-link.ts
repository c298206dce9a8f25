import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '@platform/core';

/** What an invitation token proves: this customer's invitation `tokenId`, valid until `expiresAt`. */
export interface InvitationClaims {
  customerId: string;
  tokenId: string;
  /** ISO 8601 UTC. */
  expiresAt: string;
}

export class InvitationTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvitationTokenError';
  }
}

const TOKEN_RE = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/;
// Domain separation: the link key is derived from the configured secret, so an invitation
// token can never pass as an API JWT (or the reverse) even though one secret is configured.
const KEY_LABEL = 'customers.invitation-link.v1';

/**
 * Personalised, signed, expiring invitation links (F1). The token is
 * `base64url(JSON {c, t, e}) . base64url(HMAC-SHA256)`; it holds no personal data. It is
 * deterministic in (customer, token id, expiry), so the relay can rebuild the exact link of
 * an invitation event without the link ever being stored. Working once and being replaced on
 * resend are decided by the customer's stream (the token id must be the current one, unused).
 */
export class InvitationLinkSigner {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly baseUrl: string,
  ) {
    if (secret.length < 32) throw new Error('InvitationLinkSigner: the secret must be at least 32 characters');
    this.key = createHmac('sha256', secret).update(KEY_LABEL).digest();
  }

  sign(claims: InvitationClaims): string {
    const payload = Buffer.from(
      JSON.stringify({ c: claims.customerId, t: claims.tokenId, e: Math.floor(Date.parse(claims.expiresAt) / 1000) }),
    ).toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /** The link the customer opens: `<base>/api/v1/invitations/<token>:accept`. */
  link(claims: InvitationClaims): string {
    return `${this.baseUrl.replace(/\/+$/, '')}/api/v1/invitations/${this.sign(claims)}:accept`;
  }

  /**
   * Checks the signature (constant time) and the shape. Throws `InvitationTokenError` for
   * anything this service did not sign. Expiry, use and revocation are the decider's to judge
   * from the stream, so an expired link answers "expired", not "unknown".
   */
  verify(token: string): InvitationClaims {
    const m = TOKEN_RE.exec(token);
    if (!m) throw new InvitationTokenError('malformed token');
    const [, payload, signature] = m;
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new InvitationTokenError('signature does not match');
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new InvitationTokenError('payload is not JSON');
    }
    const { c, t, e } = (body ?? {}) as { c?: unknown; t?: unknown; e?: unknown };
    if (!isUuid(c) || !isUuid(t) || typeof e !== 'number' || !Number.isSafeInteger(e)) {
      throw new InvitationTokenError('payload is malformed');
    }
    return { customerId: c, tokenId: t, expiresAt: new Date(e * 1000).toISOString() };
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
  }
}
