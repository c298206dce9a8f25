import { Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { Pool } from 'pg';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, PG_POOL } from '@platform/service-kit';
import { DemoDataSeeder } from '../demo-data/demo-data.seeder';
import { CustomerHistoryQueries } from './customer-history.queries';
import { CustomerListController, MyCustomerViewsController } from './customer-list.controller';
import { CUSTOMER_LIST_PROJECTION } from './customer-list.projection';
import { CustomerFeedConsumer } from './customer-feed.consumer';
import { CustomerListQueries } from './customer-list.queries';
import { CustomerListRegistration } from './customer-list.registration';
import { ListResponseCache } from './list-response-cache';
import { LIST_RESPONSE_CACHE, ListResponseCacheMiddleware } from './list-response-cache.middleware';
import { ReadModelFreshness } from './read-model-freshness';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';

/**
 * Read side of the customers service: the customer list (F9), one customer and its history
 * (F19), pinned customers and column preferences, with read-your-writes. Given the service's
 * infrastructure module (pool, event store, projections) by the service module.
 */
@Module({})
export class CustomerListModule implements NestModule {
  static register(infrastructure: DynamicModule): DynamicModule {
    return {
      module: CustomerListModule,
      imports: [infrastructure],
      controllers: [CustomerListController, MyCustomerViewsController],
      providers: [
        CustomerListRegistration,
        CustomerFeedConsumer,
        { provide: LIST_RESPONSE_CACHE, useFactory: () => new ListResponseCache() },
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
            new ReadModelFreshness(pool, CUSTOMER_LIST_PROJECTION, () => registration.runner?.status().readPosition),
        },
        ReadYourWritesInterceptor,
        // The embedded launcher seeds the demo partner through the customers event store.
        DemoDataSeeder,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ListResponseCacheMiddleware).forRoutes({ path: 'api/v1/customers', method: RequestMethod.GET });
  }
}
