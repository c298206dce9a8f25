import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@platform/core';
import { eventMetadataFor } from '@platform/service-kit';
import { CustomerCommandRunner, type CommandOutcome } from '../../infrastructure/customer-command-runner';
import { CustomerLogoStore } from '../../infrastructure/customer-logo.store';
import type { CustomerDataEraser } from '../../infrastructure/customer-disconnection.projection';
import { CUSTOMERS_CLOCK, CUSTOMER_DATA_ERASER } from '../../infrastructure/customers-write.tokens';
import type { DisconnectCustomerCommand } from './disconnect-customer.command';

@Injectable()
export class DisconnectCustomerHandler {
  constructor(
    private readonly runner: CustomerCommandRunner,
    private readonly logos: CustomerLogoStore,
    @Inject(CUSTOMER_DATA_ERASER) private readonly eraser: CustomerDataEraser,
    @Inject(CUSTOMERS_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Appends CustomerDisconnected, then deletes the logo and shreds the data key at once, so
   * the answer already holds. The disconnection projection repeats both for every such event
   * (idempotent), which covers a crash between the append and the erasure.
   */
  async execute(command: DisconnectCustomerCommand): Promise<CommandOutcome> {
    const outcome = await this.runner.run(
      command.customerId,
      { type: 'DisconnectCustomer', data: { partnerId: command.actor.partnerId, confirmation: command.confirmation } },
      eventMetadataFor(command.actor, this.clock),
      { ifMatch: command.ifMatch },
    );
    await this.logos.deleteAll(command.customerId);
    await this.eraser.shred(command.customerId);
    return outcome;
  }
}
