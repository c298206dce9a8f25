import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@platform/core';
import { eventMetadataFor } from '@platform/service-kit';
import { CustomerCommandRunner, type CommandOutcome } from '../../infrastructure/customer-command-runner';
import { CUSTOMERS_CLOCK } from '../../infrastructure/customers-write.tokens';
import type { ChangeTagsCommand } from './change-tags.command';

@Injectable()
export class ChangeTagsHandler {
  constructor(
    private readonly runner: CustomerCommandRunner,
    @Inject(CUSTOMERS_CLOCK) private readonly clock: Clock,
  ) {}

  execute(command: ChangeTagsCommand): Promise<CommandOutcome> {
    return this.runner.run(
      command.customerId,
      { type: 'ChangeTags', data: { partnerId: command.actor.partnerId, tags: command.tags } },
      eventMetadataFor(command.actor, this.clock),
      { ifMatch: command.ifMatch },
    );
  }
}
