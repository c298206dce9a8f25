import { VerificationTokenSigner } from './verification-token';

describe('verification links', () => {
  const signer = new VerificationTokenSigner('a-secret-of-at-least-32-characters!!', 'https://console.test');
  const claims = { customerId: '0193a000-0000-7000-8000-000000000001', tokenId: '0193a000-0000-7000-8000-000000000002', expiresAt: '2026-03-08T00:00:00.000Z' };

  it('round-trips its claims and carries no address', () => {
    const link = signer.link(claims);
    expect(link).toMatch(/^https:\/\/console\.test\/api\/v1\/email-verifications\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}:confirm$/);
    expect(link).not.toContain('@');
    expect(signer.verify(signer.token(claims))).toEqual(claims);
  });

  it('refuses tampered tokens and other keys', () => {
    const token = signer.token(claims);
    const [payload, sig] = token.split('.');
    const other = Buffer.from(`${claims.customerId}.${claims.tokenId}.9999999999`).toString('base64url');
    expect(signer.verify(`${other}.${sig}`)).toBeUndefined();
    expect(signer.verify(`${payload}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(new VerificationTokenSigner('another-secret-of-32-characters-or-more', 'x').verify(token)).toBeUndefined();
    expect(signer.verify('')).toBeUndefined();
    expect(signer.verify('a.b.c')).toBeUndefined();
  });
});
