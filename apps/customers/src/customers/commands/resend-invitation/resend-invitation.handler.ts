import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@platform/core';
import { eventMetadataFor } from '@platform/service-kit';
import { CustomerCommandRunner } from '../../infrastructure/customer-command-runner';
import { CUSTOMERS_CLOCK } from '../../infrastructure/customers-write.tokens';
import { InvitationLinkSigner } from '../../infrastructure/invitation-link';
import { issuedInvitation, type InvitationResult } from '../invite-customer/invite-customer.handler';
import type { ResendInvitationCommand } from './resend-invitation.command';

@Injectable()
export class ResendInvitationHandler {
  constructor(
    private readonly runner: CustomerCommandRunner,
    private readonly signer: InvitationLinkSigner,
    @Inject(CUSTOMERS_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: ResendInvitationCommand): Promise<InvitationResult> {
    const { actor, customerId, ifMatch, ...rest } = command;
    const outcome = await this.runner.run(
      customerId,
      { type: 'ResendInvitation', data: { ...rest, partnerId: actor.partnerId } },
      eventMetadataFor(actor, this.clock),
      { ifMatch },
    );
    return { outcome, invitation: issuedInvitation(outcome, this.signer) };
  }
}
