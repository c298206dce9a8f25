import { createHmac, timingSafeEqual } from 'node:crypto';

/** Roles of a partner user (spec: Actors). */
export const PARTNER_ROLES = ['global-admin', 'admin-agent', 'auditor'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

/** Who is calling: a user of exactly one partner. */
export interface AuthenticatedActor {
  userId: string;
  partnerId: string;
  roles: PartnerRole[];
}

/** The claims the platform issues and accepts. */
export interface PlatformJwtClaims {
  /** User id. */
  sub: string;
  /** Partner id. */
  pid: string;
  roles: PartnerRole[];
}

export class JwtVerificationError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'JwtVerificationError';
  }
}

/** Clock skew tolerated between the token issuer and this process. */
export const JWT_LEEWAY_SECONDS = 30;

const HEADER = { alg: 'HS256', typ: 'JWT' } as const;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
// User and partner ids are opaque but end up in logs, event metadata and SQL keys: keep them plain.
const ID_RE = /^[A-Za-z0-9._:@-]{1,128}$/;

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

function hmac(secret: string, signingInput: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

function isPartnerRole(value: unknown): value is PartnerRole {
  return typeof value === 'string' && (PARTNER_ROLES as readonly string[]).includes(value);
}

/** An HS256 JWT with `sub`, `pid`, `roles`, `iat` and `exp = now + ttlSeconds`. */
export function signJwt(claims: PlatformJwtClaims, secret: string, ttlSeconds: number, now: Date = new Date()): string {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new Error('signJwt: ttlSeconds must be positive');
  const iat = Math.floor(now.getTime() / 1000);
  const payload = { sub: claims.sub, pid: claims.pid, roles: claims.roles, iat, exp: iat + Math.floor(ttlSeconds) };
  const signingInput = `${base64url(JSON.stringify(HEADER))}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${base64url(hmac(secret, signingInput))}`;
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  if (!BASE64URL.test(part)) throw new JwtVerificationError(`${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new JwtVerificationError(`${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwtVerificationError(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function numericDate(payload: Record<string, unknown>, claim: string, required: boolean): number | undefined {
  const v = payload[claim];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new JwtVerificationError(`claim ${claim} is missing or not a number`);
  return v;
}

/**
 * Verifies an HS256 token and returns its actor. Only HS256 is accepted (never `none`, never
 * an algorithm the token picks); the signature is compared in constant time; `exp` is required,
 * `nbf` honoured, both with {@link JWT_LEEWAY_SECONDS}; every role must be a known one.
 */
export function verifyJwt(token: string, secret: string, now: Date = new Date()): AuthenticatedActor {
  return verifyJwtWithExpiry(token, secret, now).actor;
}

/** `verifyJwt`, also telling until when (epoch ms, leeway included) the token stays acceptable. */
export function verifyJwtWithExpiry(token: string, secret: string, now: Date = new Date()): { actor: AuthenticatedActor; acceptableUntilMs: number } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtVerificationError('token is not a compact JWS');
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decodeJson(headerPart, 'header');
  if (header.alg !== 'HS256') throw new JwtVerificationError('algorithm must be HS256');
  if (header.typ !== undefined && header.typ !== 'JWT') throw new JwtVerificationError('type must be JWT');
  if (header.crit !== undefined) throw new JwtVerificationError('critical header parameters are not supported');

  if (!BASE64URL.test(signaturePart) || signaturePart.length === 0) throw new JwtVerificationError('signature is malformed');
  const given = Buffer.from(signaturePart, 'base64url');
  const expected = hmac(secret, `${headerPart}.${payloadPart}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new JwtVerificationError('signature does not match');
  }

  const payload = decodeJson(payloadPart, 'payload');
  const nowSeconds = now.getTime() / 1000;
  const exp = numericDate(payload, 'exp', true)!;
  if (nowSeconds > exp + JWT_LEEWAY_SECONDS) throw new JwtVerificationError('token has expired');
  const nbf = numericDate(payload, 'nbf', false);
  if (nbf !== undefined && nowSeconds < nbf - JWT_LEEWAY_SECONDS) throw new JwtVerificationError('token is not valid yet');

  const { sub, pid, roles } = payload;
  if (typeof sub !== 'string' || !ID_RE.test(sub)) throw new JwtVerificationError('claim sub is missing or malformed');
  if (typeof pid !== 'string' || !ID_RE.test(pid)) throw new JwtVerificationError('claim pid is missing or malformed');
  if (!Array.isArray(roles) || roles.length === 0) throw new JwtVerificationError('claim roles must be a non-empty array');
  if (!roles.every(isPartnerRole)) throw new JwtVerificationError('claim roles holds an unknown role');
  return { actor: { userId: sub, partnerId: pid, roles: [...new Set(roles)] }, acceptableUntilMs: (exp + JWT_LEEWAY_SECONDS) * 1000 };
}
