import { Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import type { EventStore, ProjectionRunner } from '@platform/event-store';
import { EVENT_STORE, PG_POOL, ServiceProjections } from '@platform/service-kit';
import { DemoDataSeeder } from '../demo-data/demo-data.seeder';
import { CustomerHistoryQueries } from './customer-history.queries';
import { CustomerListController, MyCustomerViewsController } from './customer-list.controller';
import { CUSTOMER_LIST_PROJECTION, CustomerListProjection } from './customer-list.projection';
import { CustomerListQueries } from './customer-list.queries';
import { migrateCustomerList } from './customer-list.schema';
import { ReadModelFreshness } from './read-model-freshness';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';

/** Creates the read model's tables and registers its projection (runners start on bootstrap). */
@Injectable()
export class CustomerListRegistration implements OnModuleInit {
  runner?: ProjectionRunner;

  /**
   * The checkpoint, when this process's runner holds the projection's lease (it then moves the
   * checkpoint itself, so its in-memory position is the table's); undefined otherwise.
   */
  authoritativePosition(): bigint | undefined {
    const status = this.runner?.status();
    return status && status.lagMs !== null ? status.position : undefined;
  }

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly projections: ServiceProjections,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrateCustomerList(this.pool);
    this.runner = this.projections.add(new CustomerListProjection());
  }
}

/**
 * Read side of the customers service: the customer list (F9), one customer and its history
 * (F19), pinned customers and column preferences, with read-your-writes. Given the service's
 * infrastructure module (pool, event store, projections) by the service module.
 */
@Module({})
export class CustomerListModule {
  static register(infrastructure: DynamicModule): DynamicModule {
    return {
      module: CustomerListModule,
      imports: [infrastructure],
      controllers: [CustomerListController, MyCustomerViewsController],
      providers: [
        CustomerListRegistration,
        {
          provide: CustomerListQueries,
          inject: [PG_POOL, CustomerListRegistration],
          useFactory: (pool: Pool, registration: CustomerListRegistration) =>
            new CustomerListQueries(pool, () => registration.authoritativePosition()),
        },
        {
          provide: CustomerHistoryQueries,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new CustomerHistoryQueries(store),
        },
        {
          provide: ReadModelFreshness,
          inject: [PG_POOL, CustomerListRegistration],
          // The runner is registered in onModuleInit, after this factory: look it up lazily.
          useFactory: (pool: Pool, registration: CustomerListRegistration) =>
            new ReadModelFreshness(pool, CUSTOMER_LIST_PROJECTION, () => registration.runner?.status().position),
        },
        ReadYourWritesInterceptor,
        // The embedded launcher seeds the demo partner through the customers event store.
        DemoDataSeeder,
      ],
    };
  }
}
