import type { Request } from 'express';
import { currentRequestContext, requestContextOf } from '../context/request-context';
import { setActor } from './auth.decorators';
import { JwtVerificationError, verifyJwtWithExpiry, type AuthenticatedActor } from './jwt';

/** What the `Authorization` header of a request proves. */
export type RequestAuthentication =
  | { kind: 'authenticated'; actor: AuthenticatedActor }
  | { kind: 'anonymous' }
  | { kind: 'invalid'; reason: string };

const AUTHENTICATION = Symbol('requestAuthentication');
type WithAuthentication = Request & { [AUTHENTICATION]?: RequestAuthentication };

const MAX_VERIFIED_TOKENS = 10_000;
// Tokens already verified, until they expire: a client sends the same token with every request,
// and one HMAC and two JSON parses per token (not per request) take that off the hot path.
const verified = new Map<string, { secret: string; actor: AuthenticatedActor; acceptableUntilMs: number }>();

function verifyToken(token: string, secret: string): AuthenticatedActor {
  const known = verified.get(token);
  const now = Date.now();
  if (known && known.secret === secret && now <= known.acceptableUntilMs) return known.actor;
  const { actor, acceptableUntilMs } = verifyJwtWithExpiry(token, secret, new Date(now));
  if (verified.size >= MAX_VERIFIED_TOKENS) verified.delete(verified.keys().next().value as string);
  // Shared by every request that sends this token: frozen so none can change it for the others.
  const shared = Object.freeze({ ...actor, roles: Object.freeze([...actor.roles]) as AuthenticatedActor['roles'] });
  verified.set(token, { secret, actor: shared, acceptableUntilMs });
  return shared;
}

/** The bearer token of `Authorization`, `undefined` when absent, `null` when the header is not a bearer credential. */
export function bearerToken(req: Request): string | undefined | null {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const m = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(header);
  return m ? m[1] : null;
}

/**
 * Verifies the request's bearer token once (memoised on the request) without rejecting anything:
 * rate limiting and idempotency need the caller before the guard runs, the guard decides.
 */
export function authenticateRequest(req: Request, secret: string | undefined): RequestAuthentication {
  const r = req as WithAuthentication;
  if (r[AUTHENTICATION]) return r[AUTHENTICATION];
  let result: RequestAuthentication;
  const token = bearerToken(req);
  if (token === undefined) result = { kind: 'anonymous' };
  else if (token === null) result = { kind: 'invalid', reason: 'the Authorization header must be "Bearer <token>"' };
  else if (!secret) result = { kind: 'invalid', reason: 'authentication is not configured on this server' };
  else {
    try {
      result = { kind: 'authenticated', actor: verifyToken(token, secret) };
    } catch (e) {
      if (!(e instanceof JwtVerificationError)) throw e;
      result = { kind: 'invalid', reason: e.reason };
    }
  }
  if (result.kind === 'authenticated') {
    setActor(req, result.actor);
    const context = currentRequestContext() ?? requestContextOf(req);
    context.actor = { userId: result.actor.userId, partnerId: result.actor.partnerId };
  }
  r[AUTHENTICATION] = result;
  return result;
}
