import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { PG_POOL, ServiceProjections } from '@platform/service-kit';
import type { Pool } from 'pg';
import { ReportingDirectoryModule } from '../reporting-directory.module';
import { reportingInfrastructure } from '../reporting-infrastructure';
import { reportingClockProvider } from '../reports/infrastructure/reporting-clock';
import { CreateReportTemplateHandler } from './commands/create-report-template/create-report-template.handler';
import { DeleteReportTemplateHandler } from './commands/delete-report-template/delete-report-template.handler';
import { UpdateReportTemplateHandler } from './commands/update-report-template/update-report-template.handler';
import { ReportTemplateRunner } from './infrastructure/report-template-runner';
import { migrateReportTemplates, ReportTemplatesProjection } from './projections/report-templates.projection';
import { ListReportTemplatesQuery } from './queries/list-report-templates/list-report-templates.query';
import { ReportTemplatesHttpController } from './report-templates.http.controller';

/** F15 report templates: `reporttemplate-*` streams and their list read model. */
@Module({
  imports: [reportingInfrastructure, ReportingDirectoryModule],
  controllers: [ReportTemplatesHttpController],
  providers: [
    reportingClockProvider,
    ReportTemplateRunner,
    CreateReportTemplateHandler,
    UpdateReportTemplateHandler,
    DeleteReportTemplateHandler,
    ListReportTemplatesQuery,
  ],
  exports: [ReportTemplateRunner],
})
export class ReportTemplatesModule implements OnModuleInit {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ServiceProjections,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateReportTemplates(this.pool);
    this.projections.add(new ReportTemplatesProjection());
  }
}
