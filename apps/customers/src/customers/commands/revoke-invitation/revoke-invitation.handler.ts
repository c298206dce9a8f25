import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@platform/core';
import { eventMetadataFor } from '@platform/service-kit';
import { CustomerCommandRunner, type CommandOutcome } from '../../infrastructure/customer-command-runner';
import { CUSTOMERS_CLOCK } from '../../infrastructure/customers-write.tokens';
import type { RevokeInvitationCommand } from './revoke-invitation.command';

@Injectable()
export class RevokeInvitationHandler {
  constructor(
    private readonly runner: CustomerCommandRunner,
    @Inject(CUSTOMERS_CLOCK) private readonly clock: Clock,
  ) {}

  execute(command: RevokeInvitationCommand): Promise<CommandOutcome> {
    return this.runner.run(
      command.customerId,
      { type: 'RevokeInvitation', data: { partnerId: command.actor.partnerId } },
      eventMetadataFor(command.actor, this.clock),
      { ifMatch: command.ifMatch },
    );
  }
}
