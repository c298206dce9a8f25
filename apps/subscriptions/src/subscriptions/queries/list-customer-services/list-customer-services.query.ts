import type { Pool } from 'pg';
import type { CustomerAccess } from '../../infrastructure/customer-access';
import { waitForProjection } from '../../infrastructure/projection-freshness';
import { CUSTOMER_SERVICES_PROJECTION } from '../../projections/customer-services.projection';
import type { CustomerServicesQueries } from './customer-services.queries';
import { toServiceView, type CustomerServicesView } from './service-view';

/** The customer's services (F10–F12), without expired ones when the customer's list hides them (F11). */
export class ListCustomerServicesQuery {
  constructor(
    private readonly pool: Pool,
    private readonly access: CustomerAccess,
    private readonly queries: CustomerServicesQueries,
  ) {}

  async execute(partnerId: string, customerId: string, minPosition?: bigint): Promise<CustomerServicesView> {
    await this.access.visible(partnerId, customerId);
    await waitForProjection(this.pool, CUSTOMER_SERVICES_PROJECTION, minPosition);
    const { hidden } = await this.queries.expiredHidden(customerId);
    const rows = await this.queries.services(customerId, { includeExpired: !hidden });
    return { customerId, expiredHidden: hidden, items: rows.filter((r) => r.state.subscription).map((r) => toServiceView(r.state, r.version)) };
  }
}
