import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@platform/core';
import { eventMetadataFor } from '@platform/service-kit';
import { CustomerCommandRunner, type CommandOutcome } from '../../infrastructure/customer-command-runner';
import { CUSTOMERS_CLOCK } from '../../infrastructure/customers-write.tokens';
import type { EditCustomerCommand } from './edit-customer.command';

@Injectable()
export class EditCustomerHandler {
  constructor(
    private readonly runner: CustomerCommandRunner,
    @Inject(CUSTOMERS_CLOCK) private readonly clock: Clock,
  ) {}

  execute(command: EditCustomerCommand): Promise<CommandOutcome> {
    return this.runner.run(
      command.customerId,
      { type: 'EditCustomer', data: { partnerId: command.actor.partnerId, changes: command.changes } },
      eventMetadataFor(command.actor, this.clock),
      { ifMatch: command.ifMatch },
    );
  }
}
