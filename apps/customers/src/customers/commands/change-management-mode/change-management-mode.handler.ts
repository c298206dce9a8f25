import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@platform/core';
import { eventMetadataFor } from '@platform/service-kit';
import { CustomerCommandRunner, type CommandOutcome } from '../../infrastructure/customer-command-runner';
import { CUSTOMERS_CLOCK } from '../../infrastructure/customers-write.tokens';
import type { ChangeManagementModeCommand } from './change-management-mode.command';

@Injectable()
export class ChangeManagementModeHandler {
  constructor(
    private readonly runner: CustomerCommandRunner,
    @Inject(CUSTOMERS_CLOCK) private readonly clock: Clock,
  ) {}

  execute(command: ChangeManagementModeCommand): Promise<CommandOutcome> {
    return this.runner.run(
      command.customerId,
      { type: 'ChangeManagementMode', data: { partnerId: command.actor.partnerId, mode: command.mode } },
      eventMetadataFor(command.actor, this.clock),
      { ifMatch: command.ifMatch },
    );
  }
}
