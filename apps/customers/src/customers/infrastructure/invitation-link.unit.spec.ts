import { InvitationLinkSigner, InvitationTokenError } from './invitation-link';

const SECRET = 'invitation-test-secret-0123456789abcdef';
const claims = {
  customerId: '01936a2e-8a3f-7b1c-9d2e-4f5a6b7c8d9e',
  tokenId: '01936a2e-8a3f-7b1c-9d2e-4f5a6b7c8d9f',
  expiresAt: '2026-01-08T09:30:00.000Z',
};

describe('InvitationLinkSigner', () => {
  const signer = new InvitationLinkSigner(SECRET, 'https://console.example.com/');

  it('signs a token that verifies back to its claims', () => {
    expect(signer.verify(signer.sign(claims))).toEqual(claims);
  });

  it('builds the accept link under the base URL, the same for the same invitation', () => {
    const link = signer.link(claims);
    expect(link).toMatch(/^https:\/\/console\.example\.com\/api\/v1\/invitations\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}:accept$/);
    expect(signer.link(claims)).toBe(link);
    expect(signer.link({ ...claims, tokenId: '01936a2e-8a3f-7b1c-9d2e-4f5a6b7c8da0' })).not.toBe(link);
  });

  it('refuses a token signed with another secret', () => {
    const other = new InvitationLinkSigner('another-secret-0123456789abcdefghijkl', 'https://x.example');
    expect(() => signer.verify(other.sign(claims))).toThrow(InvitationTokenError);
  });

  it('refuses a tampered payload or signature', () => {
    const [payload, signature] = signer.sign(claims).split('.');
    const forged = Buffer.from(JSON.stringify({ c: claims.customerId, t: claims.tokenId, e: 4102444800 })).toString('base64url');
    expect(() => signer.verify(`${forged}.${signature}`)).toThrow('signature does not match');
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BA' : 'AA');
    expect(() => signer.verify(`${payload}.${flipped}`)).toThrow(InvitationTokenError);
  });

  it('refuses malformed tokens', () => {
    for (const token of ['', 'abc', 'a.b.c', `${'x'.repeat(10)}.${'y'.repeat(10)}`, 'eyJ9.!!!']) {
      expect(() => signer.verify(token)).toThrow(InvitationTokenError);
    }
  });

  it('cannot be used as an API token signer: the link key is derived, not the secret itself', () => {
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const [payload, signature] = signer.sign(claims).split('.');
    expect(createHmac('sha256', SECRET).update(payload).digest('base64url')).not.toBe(signature);
  });

  it('needs a secret of at least 32 characters', () => {
    expect(() => new InvitationLinkSigner('short', 'https://x.example')).toThrow();
  });
});
