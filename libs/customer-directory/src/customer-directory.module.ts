import { Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { Topics } from '@platform/contracts';
import { PG_POOL, ServiceConsumers } from '@platform/service-kit';
import { CustomerDirectory } from './customer-directory';

export interface CustomerDirectoryModuleOptions {
  /** The service's own table, prefixed with its name, e.g. `subscriptions_customer_directory`. */
  table: string;
  /** Inbox consumer group on Topics.customers, e.g. `subscriptions.customer-directory`. */
  groupId: string;
}

const DIRECTORY_OPTIONS = Symbol('CUSTOMER_DIRECTORY_OPTIONS');

/**
 * Creates the table in `onModuleInit` and registers the consumer there; the service runtime
 * starts consumers in `onApplicationBootstrap`, after every module's init, so the table exists
 * before the first event arrives.
 */
@Injectable()
export class CustomerDirectoryRegistration implements OnModuleInit {
  constructor(
    @Inject(CustomerDirectory) private readonly directory: CustomerDirectory,
    @Inject(ServiceConsumers) private readonly consumers: ServiceConsumers,
    @Inject(DIRECTORY_OPTIONS) private readonly options: CustomerDirectoryModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.directory.migrate();
    this.consumers.add({
      groupId: this.options.groupId,
      topics: [Topics.customers],
      handler: this.directory.handler,
      eventTypes: this.directory.eventTypes,
    });
  }
}

/** A service's customer directory: `CustomerDirectoryModule.forService(myInfrastructure, { table, groupId })`. */
@Module({})
export class CustomerDirectoryModule {
  static forService(infrastructure: DynamicModule, options: CustomerDirectoryModuleOptions): DynamicModule {
    return {
      module: CustomerDirectoryModule,
      imports: [infrastructure],
      providers: [
        { provide: DIRECTORY_OPTIONS, useValue: options },
        {
          provide: CustomerDirectory,
          inject: [PG_POOL],
          // Validates the table name at startup.
          useFactory: (pool: Pool) => new CustomerDirectory(pool, { table: options.table }),
        },
        CustomerDirectoryRegistration,
      ],
      exports: [CustomerDirectory],
    };
  }
}
