import { ReportLinkSigner } from './report-link-signer';

describe('ReportLinkSigner', () => {
  const signer = new ReportLinkSigner('a-secret-of-enough-length-0123456789', 'http://localhost:3000');
  const id = '01936a30-0000-7000-8000-000000000001';
  const expiresAt = new Date('2026-01-08T00:00:00.000Z');
  const parts = (link: string) => {
    const u = new URL(link);
    return { path: u.pathname, expires: u.searchParams.get('expires') ?? undefined, sig: u.searchParams.get('sig') ?? undefined };
  };

  it('signs a link that checks until it expires', () => {
    const { path, expires, sig } = parts(signer.link(id, expiresAt));
    expect(path).toBe(`/api/v1/reports/${id}/download`);
    expect(signer.check(id, expires, sig, new Date('2026-01-07T23:59:59.000Z'))).toBe('valid');
    expect(signer.check(id, expires, sig, expiresAt)).toBe('expired');
  });

  it('refuses altered ids, expiries, signatures and another secret', () => {
    const { expires, sig } = parts(signer.link(id, expiresAt));
    const now = new Date('2026-01-01T00:00:00.000Z');
    expect(signer.check('01936a30-0000-7000-8000-000000000002', expires, sig, now)).toBe('invalid');
    expect(signer.check(id, String(Number(expires) + 3600), sig, now)).toBe('invalid');
    expect(signer.check(id, expires, `${sig}x`, now)).toBe('invalid');
    expect(signer.check(id, expires, undefined, now)).toBe('invalid');
    expect(signer.check(id, 'soon', sig, now)).toBe('invalid');
    const other = new ReportLinkSigner('another-secret-of-enough-length-012345', 'http://localhost:3000');
    expect(other.check(id, expires, sig, now)).toBe('invalid');
  });
});
