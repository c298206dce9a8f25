import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { Topics } from '@platform/contracts';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, PG_POOL, ServiceConsumers, ServiceProjections } from '@platform/service-kit';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { reportingInfrastructure } from '../reporting-infrastructure';
import { ReportingDirectoryModule } from '../reporting-directory.module';
import { DASHBOARD_DISCONNECTIONS_GROUP, forgetDisconnectedCustomer } from './infrastructure/customer-disconnections.consumer';
import { migrateDashboard } from './infrastructure/dashboard.schema';
import { applySubscriptionFact, SUBSCRIPTION_FACTS_GROUP } from './infrastructure/subscription-facts.consumer';
import { DashboardProjection } from './projections/dashboard.projection';
import { ExportSuspiciousItemsQuery } from './queries/export-suspicious-items/export-suspicious-items.query';
import { DashboardHttpController } from './queries/get-dashboard/get-dashboard.http.controller';
import { GetDashboardQuery } from './queries/get-dashboard/get-dashboard.query';

@Injectable()
class DashboardRegistration implements OnModuleInit {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ServiceProjections,
    private readonly consumers: ServiceConsumers,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateDashboard(this.pool);
    this.projections.add(new DashboardProjection(this.store));
    this.consumers.add({
      groupId: SUBSCRIPTION_FACTS_GROUP,
      topics: [Topics.subscriptions],
      handler: applySubscriptionFact,
      eventTypes: ['ServicesAdded', 'SubscriptionChanged', 'SubscriptionExpired', 'ServicesStarted', 'ServiceProvisioningFailed'],
    });
    this.consumers.add({
      groupId: DASHBOARD_DISCONNECTIONS_GROUP,
      topics: [Topics.customers],
      handler: forgetDisconnectedCustomer,
      eventTypes: ['CustomerDisconnected'],
    });
  }
}

/** F14: the customer detailed dashboard and its suspicious-items export. */
@Module({
  imports: [reportingInfrastructure, ReportingDirectoryModule, ApiKeysModule],
  controllers: [DashboardHttpController],
  providers: [DashboardRegistration, GetDashboardQuery, ExportSuspiciousItemsQuery],
})
export class DashboardModule {}
