import type { Pool } from 'pg';
import { ConflictError, uuidv7, type Clock } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { eventMetadataFor } from '@platform/service-kit';
import { validateNewSubscription } from '../../domain/subscription.decider';
import { SubscriptionErrorCode, invalidSubscription, type FieldProblem } from '../../domain/subscription.errors';
import type { CustomerAccess } from '../../infrastructure/customer-access';
import { waitForProjection } from '../../infrastructure/projection-freshness';
import type { SubscriptionCommandRunner, SubscriptionOutcome } from '../../infrastructure/subscription-command-runner';
import { CUSTOMER_SERVICES_PROJECTION } from '../../projections/customer-services.projection';
import type { CustomerServicesQueries } from '../../queries/list-customer-services/customer-services.queries';
import type { AddServicesCommand } from './add-services.command';

/**
 * F10: every service is checked before anything is written (one bad service, nothing added);
 * then one `subscription-<id>` stream per service. A customer has at most one unexpired
 * subscription of a service (checked on the customer-services read model once it has caught
 * up with the log; two requests racing within milliseconds may still both pass).
 */
export class AddServicesHandler {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly runner: SubscriptionCommandRunner,
    private readonly access: CustomerAccess,
    private readonly queries: CustomerServicesQueries,
    private readonly clock: Clock,
  ) {}

  async execute(command: AddServicesCommand): Promise<SubscriptionOutcome[]> {
    const { actor, customerId } = command;
    await this.access.writable(actor.partnerId, customerId);
    const now = this.clock.now();
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    const planned = command.services.map((s, i) => {
      const fieldPrefix = `services[${i}].`;
      if (seen.has(s.serviceCode)) problems.push({ field: `${fieldPrefix}serviceCode`, message: 'is given twice' });
      seen.add(s.serviceCode);
      const checked = validateNewSubscription({ ...s, subscriptionId: uuidv7(), fieldPrefix }, now);
      if (!checked.ok) problems.push(...checked.problems);
      return checked;
    });
    if (problems.length > 0) throw invalidSubscription(problems);

    // The read model first catches up with everything written so far (briefly), so a service
    // added a moment ago is seen here.
    await waitForProjection(this.pool, CUSTOMER_SERVICES_PROJECTION, await this.store.headPosition());
    const live = await this.queries.services(customerId, { includeExpired: false });
    const taken = command.services.map((s) => s.serviceCode).filter((code) => live.some((r) => r.state.subscription?.serviceCode === code));
    if (taken.length > 0) {
      throw new ConflictError(
        SubscriptionErrorCode.ALREADY_SUBSCRIBED,
        `The customer already has an unexpired subscription of ${taken.join(', ')}: edit it instead.`,
        { serviceCodes: taken },
      );
    }
    const metadata = eventMetadataFor(actor, this.clock, { customerId });
    const outcomes: SubscriptionOutcome[] = [];
    for (const p of planned) {
      if (!p.ok) continue;
      const s = p.snapshot;
      outcomes.push(
        await this.runner.run(
          s.subscriptionId,
          {
            type: 'AddSubscription',
            data: { ...s, termStartsAt: s.termStartsAt, termEndsAt: s.termEndsAt },
          },
          metadata,
        ),
      );
    }
    return outcomes;
  }
}
