import type { Pool } from 'pg';
import { ConflictError, uuidv7, type Clock } from '@platform/core';
import { eventMetadataFor } from '@platform/service-kit';
import { canStart } from '../../domain/provisioning.decider';
import { SubscriptionErrorCode } from '../../domain/subscription.errors';
import type { CustomerAccess } from '../../infrastructure/customer-access';
import { waitForProjection } from '../../infrastructure/projection-freshness';
import type { SubscriptionCommandRunner } from '../../infrastructure/subscription-command-runner';
import { CUSTOMER_SERVICES_PROJECTION } from '../../projections/customer-services.projection';
import type { CustomerServicesQueries } from '../../queries/list-customer-services/customer-services.queries';
import type { StartServicesCommand } from './start-services.command';

export interface StartedService {
  subscriptionId: string;
  serviceCode: string;
  /** The provisioning state after this request (`in-progress` for the ones it started). */
  state: string;
  /** True when this request started it; false when it was running or started already. */
  requested: boolean;
}

export interface StartServicesOutcome {
  provisioningId: string;
  services: StartedService[];
  position?: bigint;
}

/**
 * F12: starts the customer's services that have an available (unexpired) subscription. Only for
 * an active customer in partner management mode. A service already being started or started
 * is reported as it is (a repeated request starts nothing twice); the provisioning process
 * manager runs the steps.
 */
export class StartServicesHandler {
  constructor(
    private readonly pool: Pool,
    private readonly runner: SubscriptionCommandRunner,
    private readonly access: CustomerAccess,
    private readonly queries: CustomerServicesQueries,
    private readonly clock: Clock,
  ) {}

  async execute(command: StartServicesCommand): Promise<StartServicesOutcome> {
    const { actor, customerId } = command;
    await this.access.startable(actor.partnerId, customerId);
    await waitForProjection(this.pool, CUSTOMER_SERVICES_PROJECTION, command.minPosition);
    const available = await this.queries.services(customerId, { includeExpired: false });
    const wanted = command.serviceCodes;
    const chosen = wanted ? available.filter((r) => wanted.includes(r.state.subscription?.serviceCode ?? '')) : available;
    const missing = wanted?.filter((code) => !chosen.some((r) => r.state.subscription?.serviceCode === code)) ?? [];
    if (missing.length > 0 || chosen.length === 0) {
      throw new ConflictError(
        SubscriptionErrorCode.NONE_AVAILABLE,
        missing.length > 0
          ? `No available subscription for ${missing.join(', ')}: add the service first.`
          : 'The customer has no available subscription to start.',
        { serviceCodes: missing },
      );
    }
    const provisioningId = uuidv7();
    const metadata = eventMetadataFor(actor, this.clock, { customerId, provisioningId });
    const services: StartedService[] = [];
    let position: bigint | undefined;
    for (const row of chosen) {
      const loaded = await this.runner.load(row.subscriptionId);
      const serviceCode = loaded.state.subscription?.serviceCode ?? '';
      if (!canStart(loaded.state)) {
        services.push({ subscriptionId: row.subscriptionId, serviceCode, state: loaded.state.provisioning.state, requested: false });
        continue;
      }
      const outcome = await this.runner.runProvisioning(row.subscriptionId, { type: 'RequestProvisioning', data: { provisioningId } }, metadata);
      position = outcome.position ?? position;
      services.push({ subscriptionId: row.subscriptionId, serviceCode, state: outcome.state.provisioning.state, requested: outcome.events.length > 0 });
    }
    return { provisioningId, services, position };
  }
}
