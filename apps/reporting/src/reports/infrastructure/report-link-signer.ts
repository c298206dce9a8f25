import { createHmac, timingSafeEqual } from 'node:crypto';

export const DOWNLOAD_LINK_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Time-limited download links: `…/api/v1/reports/{id}/download?expires=<unix s>&sig=<HMAC>`.
 * The HMAC (SHA-256, key derived from the service secret for this purpose only) covers the
 * report id and the expiry, so neither can be changed; the same inputs give the same link.
 */
export class ReportLinkSigner {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly baseUrl: string,
  ) {
    this.key = createHmac('sha256', secret).update('reporting.report-download-links.v1').digest();
  }

  private signature(reportId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${reportId.toLowerCase()}.${expires}`).digest('base64url');
  }

  link(reportId: string, expiresAt: Date): string {
    const expires = Math.floor(expiresAt.getTime() / 1000);
    return `${this.baseUrl}/api/v1/reports/${reportId}/download?expires=${expires}&sig=${this.signature(reportId, expires)}`;
  }

  /** 'valid', 'expired' (a genuine link past its time) or 'invalid' (forged or altered). */
  check(reportId: string, expires: string | undefined, sig: string | undefined, now: Date): 'valid' | 'expired' | 'invalid' {
    if (!expires || !sig || !/^\d{1,12}$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.signature(reportId, Number(expires)));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return Number(expires) * 1000 <= now.getTime() ? 'expired' : 'valid';
  }
}
