import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { CustomerDirectory } from '@platform/customer-directory';
import { PG_POOL, ServiceProjections } from '@platform/service-kit';
import type { Pool } from 'pg';
import { ReportingDirectoryModule } from '../reporting-directory.module';
import { reportingInfrastructure } from '../reporting-infrastructure';
import { reportingClockProvider } from '../reports/infrastructure/reporting-clock';
import { ExportsHttpController } from './exports.http.controller';
import { ReportExporter } from './infrastructure/report-exporter';
import { migrateReportData, ReportDataProjection } from './projections/report-data.projection';
import { ReportDocuments } from './queries/report-documents';

/**
 * F16/F17 exports: the job and storage read models fed from telemetry, the documents built
 * from them, and the streamed CSV / XLSX / PDF writers.
 */
@Module({
  imports: [reportingInfrastructure, ReportingDirectoryModule],
  controllers: [ExportsHttpController],
  providers: [reportingClockProvider, ReportDocuments, ReportExporter],
  exports: [ReportDocuments],
})
export class ExportsModule implements OnModuleInit {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ServiceProjections,
    private readonly directory: CustomerDirectory,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateReportData(this.pool);
    this.projections.add(new ReportDataProjection(this.directory));
  }
}
