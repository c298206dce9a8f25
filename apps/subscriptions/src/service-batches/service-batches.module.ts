import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, ServiceProjections } from '@platform/service-kit';
import { SubscriptionsFeatureModule } from '../subscriptions/subscriptions-feature.module';
import { subscriptionsInfrastructure } from '../subscriptions-infrastructure';
import { RetryFailedCustomersHandler } from './commands/retry-failed-customers/retry-failed-customers.handler';
import { RetryFailedCustomersHttpController } from './commands/retry-failed-customers/retry-failed-customers.http.controller';
import { StartServiceBatchHandler } from './commands/start-service-batch/start-service-batch.handler';
import { StartServiceBatchHttpController } from './commands/start-service-batch/start-service-batch.http.controller';
import { ServiceBatchRunner } from './infrastructure/service-batch-runner';
import { serviceBatchClockProvider } from './infrastructure/service-batches.tokens';
import { migrateServiceBatchRuns, ServiceBatchRunsProjection } from './projections/service-batch-runs.projection';
import { ExportBatchReportHttpController } from './queries/export-batch-report/export-batch-report.http.controller';
import { ExportBatchReportQuery } from './queries/export-batch-report/export-batch-report.query';
import { GetServiceBatchHttpController } from './queries/get-service-batch/get-service-batch.http.controller';
import { GetServiceBatchQuery } from './queries/get-service-batch/get-service-batch.query';
import { WatchServiceBatchHttpController } from './queries/watch-service-batch/watch-service-batch.http.controller';

/** Creates the runs table and registers its projection (runners start on bootstrap). */
@Injectable()
export class ServiceBatchesRegistration implements OnModuleInit {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ServiceProjections,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateServiceBatchRuns(this.pool);
    this.projections.add(new ServiceBatchRunsProjection(), { idleWaitMs: 500 });
  }
}

/**
 * F13 batch edit of one pooled service for up to 20 customers: `batch-<id>` streams, the
 * process manager that runs them to the end (ServiceBatchRunner), progress (JSON and SSE),
 * retry of the failed customers and the result report (CSV, XLSX). The edits go through the
 * subscriptions module's SUBSCRIPTION_BATCH_TARGET.
 */
@Module({
  imports: [subscriptionsInfrastructure, SubscriptionsFeatureModule],
  controllers: [
    StartServiceBatchHttpController,
    RetryFailedCustomersHttpController,
    WatchServiceBatchHttpController,
    ExportBatchReportHttpController,
    GetServiceBatchHttpController,
  ],
  providers: [
    serviceBatchClockProvider,
    ServiceBatchesRegistration,
    ServiceBatchRunner,
    StartServiceBatchHandler,
    RetryFailedCustomersHandler,
    GetServiceBatchQuery,
    ExportBatchReportQuery,
  ],
})
export class ServiceBatchesModule {}
