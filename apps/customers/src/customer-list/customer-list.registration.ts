import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ProjectionRunner } from '@platform/event-store';
import { PG_POOL, ServiceProjections } from '@platform/service-kit';
import { CustomerListProjection } from './customer-list.projection';
import { migrateCustomerList } from './customer-list.schema';

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
