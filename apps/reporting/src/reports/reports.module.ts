import { randomBytes } from 'node:crypto';
import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { PG_POOL, SERVICE_CONFIG, ServiceProjections, type ServiceConfig, publicBaseUrl } from '@platform/service-kit';
import type { Pool } from 'pg';
import { ExportsModule } from '../exports/exports.module';
import { ReportTemplatesModule } from '../report-templates/report-templates.module';
import { ReportingDirectoryModule } from '../reporting-directory.module';
import { reportingInfrastructure } from '../reporting-infrastructure';
import { GenerateReportHandler } from './commands/generate-report/generate-report.handler';
import { ReportConsumersRegistration } from './infrastructure/report-consumers';
import { ReportLinkSigner } from './infrastructure/report-link-signer';
import { reportingClockProvider } from './infrastructure/reporting-clock';
import { migrateReports } from './infrastructure/reports.schema';
import { ReportActivityProjection } from './projections/report-activity.projection';
import { ReportFilesQuery } from './queries/download-report/report-files.query';
import { ListReportActivityQuery } from './queries/list-report-activity/list-report-activity.query';
import { ReportsHttpController } from './reports.http.controller';

const logger = new Logger('reporting.reports');

/** Where download links point: this server's public address (it serves the download route). */

export function createLinkSigner(config: ServiceConfig): ReportLinkSigner {
  let secret = config.authJwtSecret;
  if (!secret) {
    logger.warn('AUTH_JWT_SECRET is not set: report download links are signed with a per-process key');
    secret = randomBytes(32).toString('base64url');
  }
  return new ReportLinkSigner(secret, publicBaseUrl(config));
}

/**
 * F15 generated reports (template → file → `ReportGenerated` → notifications emails the
 * signed link), their downloads, the report activity read model (F14) and the addresses
 * customers verified (ReportRecipientVerified from notifications).
 */
@Module({
  imports: [reportingInfrastructure, ReportingDirectoryModule, ExportsModule, ReportTemplatesModule],
  controllers: [ReportsHttpController],
  providers: [
    reportingClockProvider,
    { provide: ReportLinkSigner, inject: [SERVICE_CONFIG], useFactory: createLinkSigner },
    GenerateReportHandler,
    ReportFilesQuery,
    ListReportActivityQuery,
    ReportConsumersRegistration,
  ],
  exports: [ReportLinkSigner],
})
export class ReportsModule implements OnModuleInit {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ServiceProjections,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateReports(this.pool);
    this.projections.add(new ReportActivityProjection());
  }
}
