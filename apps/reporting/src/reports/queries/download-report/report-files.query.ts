import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type Clock } from '@platform/core';
import { PG_POOL } from '@platform/service-kit';
import type { Pool } from 'pg';
import { ReportErrorCode } from '../../domain/generate-report.decision';
import { ReportLinkSigner } from '../../infrastructure/report-link-signer';
import { REPORTING_CLOCK } from '../../infrastructure/reporting-clock';
import { REPORT_FILES_TABLE } from '../../infrastructure/reports.schema';

export interface ReportFile {
  reportId: string;
  partnerId: string;
  customerId: string | null;
  fileName: string;
  contentType: string;
  content: Buffer;
  expiresAt: Date;
}

export const reportNotFound = (): NotFoundError => new NotFoundError(ReportErrorCode.NOT_FOUND, 'Report not found.');

/** Generated reports and scheduled exports, by signed link (anyone holding it) or for the partner's users. */
@Injectable()
export class ReportFilesQuery {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
    private readonly signer: ReportLinkSigner,
  ) {}

  private async load(reportId: string): Promise<ReportFile | undefined> {
    const { rows } = await this.pool.query<{
      report_id: string;
      partner_id: string;
      customer_id: string | null;
      file_name: string;
      content_type: string;
      content: Buffer;
      expires_at: Date;
    }>(`SELECT * FROM ${REPORT_FILES_TABLE} WHERE report_id = $1`, [reportId]);
    const r = rows[0];
    return r
      ? { reportId: r.report_id, partnerId: r.partner_id, customerId: r.customer_id, fileName: r.file_name, contentType: r.content_type, content: r.content, expiresAt: r.expires_at }
      : undefined;
  }

  /** By signed link: 404 for a forged/altered link or an unknown report, 410 once the link expired. */
  async byLink(reportId: string, expires: string | undefined, sig: string | undefined): Promise<ReportFile> {
    const verdict = this.signer.check(reportId, expires, sig, this.clock.now());
    if (verdict === 'invalid') throw reportNotFound();
    if (verdict === 'expired') {
      throw new HttpException({ code: ReportErrorCode.LINK_EXPIRED, message: 'This download link has expired: generate the report again.' }, HttpStatus.GONE);
    }
    const file = await this.load(reportId);
    if (!file) throw reportNotFound();
    return file;
  }

  /** For a signed-in user of the report's partner (auditors included); another partner's reads as unknown. */
  async forPartner(partnerId: string, reportId: string): Promise<ReportFile> {
    const file = await this.load(reportId);
    if (!file || file.partnerId !== partnerId) throw reportNotFound();
    if (file.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new HttpException({ code: ReportErrorCode.LINK_EXPIRED, message: 'This report has expired: generate it again.' }, HttpStatus.GONE);
    }
    return file;
  }
}
