import { signJwt, verifyJwt } from '@platform/service-kit';
import { ACCESS_TOKEN_AUDIENCE, AccessTokenSigner } from './access-token-signer';

const SECRET = 'access-token-test-secret-0123456789abcdef';
const session = {
  userId: 'user-1',
  partnerId: 'partner-a',
  customerId: '0192e5f0-0000-7000-8000-0000000000c1',
  sessionId: '0192e5f0-0000-7000-8000-0000000000a1',
  expiresAt: '2026-01-01T10:15:00.000Z',
};
const TTL = 15 * 60 * 1000;

describe('access token signer (F8)', () => {
  const signer = new AccessTokenSigner(SECRET);

  it('issues a token for one customer environment, valid until the session expires', () => {
    const token = signer.sign(session, TTL);
    expect(signer.verify(token, new Date('2026-01-01T10:14:59.000Z'))).toEqual({
      sub: 'user-1',
      pid: 'partner-a',
      cid: session.customerId,
      sid: session.sessionId,
      aud: ACCESS_TOKEN_AUDIENCE,
      iat: Date.parse('2026-01-01T10:00:00.000Z') / 1000,
      exp: Date.parse('2026-01-01T10:15:00.000Z') / 1000,
    });
    expect(signer.verify(token, new Date('2026-01-01T10:15:00.000Z'))).toBeUndefined();
  });

  it('gives the same token for the same session (a retried request)', () => {
    expect(signer.sign(session, TTL)).toBe(signer.sign({ ...session }, TTL));
  });

  it('refuses tampered tokens, other keys, and API tokens; API verification refuses session tokens', () => {
    const token = signer.sign(session, TTL);
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), cid: 'other' })).toString('base64url');
    const at = new Date('2026-01-01T10:01:00.000Z');
    expect(signer.verify(`${h}.${forged}.${s}`, at)).toBeUndefined();
    expect(new AccessTokenSigner(`${SECRET}-other`).verify(token, at)).toBeUndefined();
    const apiToken = signJwt({ sub: 'user-1', pid: 'partner-a', roles: ['global-admin'] }, SECRET, 60, at);
    expect(signer.verify(apiToken, at)).toBeUndefined();
    expect(() => verifyJwt(token, SECRET, at)).toThrow('signature does not match');
  });
});
