import { createHmac } from 'node:crypto';
import { JwtVerificationError, signJwt, verifyJwt, type PlatformJwtClaims } from './jwt';

const SECRET = 'unit-test-secret-that-is-long-enough-32';
const NOW = new Date('2026-03-01T12:00:00.000Z');
const claims: PlatformJwtClaims = { sub: 'user-1', pid: '0192e5f0-0000-7000-8000-000000000001', roles: ['admin-agent'] };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token with any header and payload, signed with `secret` (HS256). */
function forge(header: unknown, payload: unknown, secret = SECRET): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const nowSeconds = NOW.getTime() / 1000;
const validPayload = { sub: 'user-1', pid: 'partner-1', roles: ['auditor'], exp: nowSeconds + 60 };

function reason(token: string, secret = SECRET, now = NOW): string {
  try {
    verifyJwt(token, secret, now);
  } catch (e) {
    if (e instanceof JwtVerificationError) return e.reason;
    throw e;
  }
  throw new Error('token was accepted');
}

describe('JWT (HS256)', () => {
  it('round-trips the claims of a signed token into an actor', () => {
    const token = signJwt(claims, SECRET, 3600, NOW);
    expect(verifyJwt(token, SECRET, NOW)).toEqual({ userId: 'user-1', partnerId: claims.pid, roles: ['admin-agent'] });
    const [header, payload] = token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ ...claims, iat: nowSeconds, exp: nowSeconds + 3600 });
  });

  it('rejects a token signed with another secret', () => {
    expect(reason(signJwt(claims, 'another-secret-that-is-also-32-chars-long', 60, NOW))).toBe('signature does not match');
  });

  it('rejects a tampered payload (role escalation) and a tampered signature', () => {
    const [header, , signature] = signJwt(claims, SECRET, 60, NOW).split('.');
    const escalated = b64({ ...claims, roles: ['global-admin'], iat: nowSeconds, exp: nowSeconds + 60 });
    expect(reason(`${header}.${escalated}.${signature}`)).toBe('signature does not match');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect(reason(`${header}.${b64({ ...claims, iat: nowSeconds, exp: nowSeconds + 60 })}.${flipped}`)).toBe('signature does not match');
    expect(reason(`${header}.${escalated}.`)).toBe('signature is malformed');
  });

  it('rejects alg none and any algorithm other than HS256', () => {
    expect(reason(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(validPayload)}.`)).toBe('algorithm must be HS256');
    expect(reason(forge({ alg: 'HS512', typ: 'JWT' }, validPayload))).toBe('algorithm must be HS256');
    expect(reason(forge({ typ: 'JWT' }, validPayload))).toBe('algorithm must be HS256');
  });

  it('rejects expired tokens beyond the leeway, and tokens not valid yet', () => {
    expect(verifyJwt(forge({ alg: 'HS256' }, { ...validPayload, exp: nowSeconds - 20 }), SECRET, NOW).userId).toBe('user-1');
    expect(reason(forge({ alg: 'HS256' }, { ...validPayload, exp: nowSeconds - 31 }))).toBe('token has expired');
    const later = signJwt(claims, SECRET, 60, NOW);
    expect(reason(later, SECRET, new Date(NOW.getTime() + 91_000))).toBe('token has expired');
    expect(reason(forge({ alg: 'HS256' }, { ...validPayload, nbf: nowSeconds + 120 }))).toBe('token is not valid yet');
  });

  it('requires exp, sub, pid and a non-empty roles array', () => {
    const { exp: _exp, ...noExp } = validPayload;
    expect(reason(forge({ alg: 'HS256' }, noExp))).toBe('claim exp is missing or not a number');
    expect(reason(forge({ alg: 'HS256' }, { ...validPayload, exp: '9999999999' }))).toBe('claim exp is missing or not a number');
    const { sub: _sub, ...noSub } = validPayload;
    expect(reason(forge({ alg: 'HS256' }, noSub))).toBe('claim sub is missing or malformed');
    expect(reason(forge({ alg: 'HS256' }, { ...validPayload, sub: 'has spaces' }))).toBe('claim sub is missing or malformed');
    const { pid: _pid, ...noPid } = validPayload;
    expect(reason(forge({ alg: 'HS256' }, noPid))).toBe('claim pid is missing or malformed');
    const { roles: _roles, ...noRoles } = validPayload;
    expect(reason(forge({ alg: 'HS256' }, noRoles))).toBe('claim roles must be a non-empty array');
    expect(reason(forge({ alg: 'HS256' }, { ...validPayload, roles: [] }))).toBe('claim roles must be a non-empty array');
    expect(reason(forge({ alg: 'HS256' }, { ...validPayload, roles: 'auditor' }))).toBe('claim roles must be a non-empty array');
  });

  it('rejects unknown roles', () => {
    expect(reason(forge({ alg: 'HS256' }, { ...validPayload, roles: ['auditor', 'superuser'] }))).toBe('claim roles holds an unknown role');
    expect(reason(forge({ alg: 'HS256' }, { ...validPayload, roles: [42] }))).toBe('claim roles holds an unknown role');
  });

  it('rejects malformed tokens', () => {
    expect(reason('not-a-jwt')).toBe('token is not a compact JWS');
    expect(reason('a.b.c.d')).toBe('token is not a compact JWS');
    expect(reason(`!!.${b64(validPayload)}.x`)).toBe('header is not base64url');
    expect(reason(`${Buffer.from('{nope').toString('base64url')}.${b64(validPayload)}.x`)).toBe('header is not JSON');
    expect(reason(forge({ alg: 'HS256' }, [1, 2]))).toBe('payload is not a JSON object');
    expect(reason(forge({ alg: 'HS256', crit: ['exp'] }, validPayload))).toBe('critical header parameters are not supported');
  });

  it('collapses repeated roles', () => {
    expect(verifyJwt(forge({ alg: 'HS256' }, { ...validPayload, roles: ['auditor', 'auditor'] }), SECRET, NOW).roles).toEqual(['auditor']);
  });

  it('refuses to sign with a non-positive lifetime', () => {
    expect(() => signJwt(claims, SECRET, 0)).toThrow('ttlSeconds must be positive');
  });
});
