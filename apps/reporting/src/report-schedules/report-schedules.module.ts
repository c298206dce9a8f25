import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { uuidv7, type Clock } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, PG_POOL, ServiceProjections } from '@platform/service-kit';
import type { Pool } from 'pg';
import { ExportsModule } from '../exports/exports.module';
import { ReportDocuments } from '../exports/queries/report-documents';
import { reportingInfrastructure } from '../reporting-infrastructure';
import { ReportLinkSigner } from '../reports/infrastructure/report-link-signer';
import { REPORTING_CLOCK, reportingClockProvider } from '../reports/infrastructure/reporting-clock';
import { ReportsModule } from '../reports/reports.module';
import { CreateReportScheduleHandler } from './commands/create-report-schedule/create-report-schedule.handler';
import { DeleteReportScheduleHandler } from './commands/delete-report-schedule/delete-report-schedule.handler';
import { ReportScheduler } from './infrastructure/report-scheduler';
import { migrateReportSchedules, ReportSchedulesProjection } from './projections/report-schedules.projection';
import { ListReportSchedulesQuery } from './queries/list-report-schedules/list-report-schedules.query';
import { ReportSchedulesHttpController } from './report-schedules.http.controller';

const logger = new Logger('reporting.report-scheduler');

/** F17 report schedules and the scheduler that fires them (every instance runs one; leases keep them apart). */
@Module({
  imports: [reportingInfrastructure, ExportsModule, ReportsModule],
  controllers: [ReportSchedulesHttpController],
  providers: [
    reportingClockProvider,
    CreateReportScheduleHandler,
    DeleteReportScheduleHandler,
    ListReportSchedulesQuery,
    {
      provide: ReportScheduler,
      inject: [PG_POOL, EVENT_STORE, REPORTING_CLOCK, ReportDocuments, ReportLinkSigner],
      useFactory: (pool: Pool, store: EventStore, clock: Clock, documents: ReportDocuments, signer: ReportLinkSigner) =>
        new ReportScheduler({ pool, store, clock, documents, signer, instanceId: `reporting-${uuidv7()}`, logger: { warn: (m) => logger.warn(m) } }),
    },
  ],
})
export class ReportSchedulesModule implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ServiceProjections,
    private readonly scheduler: ReportScheduler,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateReportSchedules(this.pool);
    this.projections.add(new ReportSchedulesProjection());
  }

  onApplicationBootstrap(): void {
    this.scheduler.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.scheduler.stop();
  }
}
