import type { Clock } from '@platform/core';
import { eventMetadataFor } from '@platform/service-kit';
import type { CustomerAccess } from '../../infrastructure/customer-access';
import type { SubscriptionCommandRunner, SubscriptionOutcome } from '../../infrastructure/subscription-command-runner';
import type { EditSubscriptionCommand } from './edit-subscription.command';

/** F11: quantity, term end, renewal of one subscription (If-Match guards against lost updates). */
export class EditSubscriptionHandler {
  constructor(
    private readonly runner: SubscriptionCommandRunner,
    private readonly access: CustomerAccess,
    private readonly clock: Clock,
  ) {}

  async execute(command: EditSubscriptionCommand): Promise<SubscriptionOutcome> {
    const { actor, customerId } = command;
    await this.access.writable(actor.partnerId, customerId);
    return this.runner.run(
      command.subscriptionId,
      { type: 'EditSubscription', data: { partnerId: actor.partnerId, customerId, changes: command.changes } },
      eventMetadataFor(actor, this.clock, { customerId }),
      { ifMatch: command.ifMatch },
    );
  }
}
