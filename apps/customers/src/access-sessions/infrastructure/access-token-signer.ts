import { createHmac, timingSafeEqual } from 'node:crypto';

/** The audience of session tokens: a customer's service environment, never this API. */
export const ACCESS_TOKEN_AUDIENCE = 'customer-environment';

export interface AccessTokenClaims {
  /** The partner user. */
  sub: string;
  /** Their partner. */
  pid: string;
  /** The customer whose environment the token opens. */
  cid: string;
  /** The session (ended when the user opens another one). */
  sid: string;
  aud: typeof ACCESS_TOKEN_AUDIENCE;
  iat: number;
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * Signs F8 delegated-access tokens (HS256 JWT). The key is derived from AUTH_JWT_SECRET for this
 * one purpose, so a session token is never accepted as an API token nor the other way round.
 * Tokens are a function of the session (issued-at = expiry − lifetime), so a retried request
 * gets the very token its first attempt got.
 */
export class AccessTokenSigner {
  private readonly key: Buffer;

  constructor(apiSecret: string) {
    this.key = createHmac('sha256', apiSecret).update('customer-environment-access-token/v1').digest();
  }

  sign(session: { userId: string; partnerId: string; customerId: string; sessionId: string; expiresAt: string }, ttlMs: number): string {
    const exp = Math.floor(Date.parse(session.expiresAt) / 1000);
    const claims: AccessTokenClaims = {
      sub: session.userId,
      pid: session.partnerId,
      cid: session.customerId,
      sid: session.sessionId,
      aud: ACCESS_TOKEN_AUDIENCE,
      iat: exp - Math.floor(ttlMs / 1000),
      exp,
    };
    const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${input}.${createHmac('sha256', this.key).update(input).digest('base64url')}`;
  }

  /** What a customer environment does with the token: the claims when genuine and unexpired, else `undefined`. */
  verify(token: string, now: Date = new Date()): AccessTokenClaims | undefined {
    const [header, payload, signature] = token.split('.');
    if (header !== HEADER || payload === undefined || signature === undefined) return undefined;
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    // The signature matched, so the payload is ours: valid JSON.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims;
    if (claims.aud !== ACCESS_TOKEN_AUDIENCE || now.getTime() / 1000 >= claims.exp) return undefined;
    return claims;
  }
}
