import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { isUuid, NotFoundError, type Clock } from '@platform/core';
import { CustomerDirectory, type DirectoryCustomer } from '@platform/customer-directory';
import { PG_POOL } from '@platform/service-kit';
import { REPORTING_CLOCK } from '../../../api-keys/infrastructure/api-keys.tokens';
import { renderDashboard, type DashboardView, type SubscriptionStatus } from '../../domain/dashboard-view';
import { readDashboard } from './dashboard-read-model';

export const CUSTOMER_NOT_FOUND = 'CUSTOMER.NOT_FOUND';
const DAY_MS = 86_400_000;

/** The partner's customer (tenant isolation: another partner's customer, an unknown or disconnected one → 404). */
export async function customerOfPartner(directory: CustomerDirectory, partnerId: string, customerId: string): Promise<DirectoryCustomer> {
  const customer = isUuid(customerId) ? await directory.getForPartner(partnerId, customerId.toLowerCase()) : undefined;
  if (!customer || customer.status === 'disconnected') throw new NotFoundError(CUSTOMER_NOT_FOUND, 'No such customer');
  return customer;
}

export interface GetDashboardOptions {
  statusFilter: SubscriptionStatus[];
  unusualActivityDays: number;
}

@Injectable()
export class GetDashboardQuery {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
    private readonly directory: CustomerDirectory,
  ) {}

  async execute(partnerId: string, customerId: string, options: GetDashboardOptions): Promise<DashboardView> {
    const now = this.clock.now();
    const id = customerId.toLowerCase();
    if (!isUuid(id)) throw new NotFoundError(CUSTOMER_NOT_FOUND, 'No such customer');
    const { customer, ...model } = await readDashboard(this.pool, this.directory, partnerId, id, new Date(now.getTime() - options.unusualActivityDays * DAY_MS));
    if (!customer || customer.status === 'disconnected') throw new NotFoundError(CUSTOMER_NOT_FOUND, 'No such customer');
    return renderDashboard({
      customerId: customer.customerId,
      organizationName: customer.organizationName,
      managementMode: customer.managementMode,
      now,
      statusFilter: options.statusFilter,
      unusualActivityDays: options.unusualActivityDays,
      ...model,
    });
  }
}
