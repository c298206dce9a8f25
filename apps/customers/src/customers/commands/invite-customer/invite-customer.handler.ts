import { Inject, Injectable } from '@nestjs/common';
import type { Clock, IdGenerator } from '@platform/core';
import { eventMetadataFor } from '@platform/service-kit';
import { CustomerCommandRunner, type CommandOutcome } from '../../infrastructure/customer-command-runner';
import { CUSTOMERS_CLOCK, CUSTOMERS_IDS } from '../../infrastructure/customers-write.tokens';
import { InvitationLinkSigner } from '../../infrastructure/invitation-link';
import type { InviteCustomerCommand } from './invite-customer.command';

export interface InvitationResult {
  outcome: CommandOutcome;
  invitation: { link: string; expiresAt: string; draftEmail: string };
}

/** The invitation of the state after a command that issued one, with its signed link. */
export function issuedInvitation(outcome: CommandOutcome, signer: InvitationLinkSigner): InvitationResult['invitation'] {
  const i = outcome.state.invitation!;
  return {
    link: signer.link({ customerId: outcome.customerId, tokenId: i.tokenId, expiresAt: i.expiresAt }),
    expiresAt: i.expiresAt,
    draftEmail: i.draftEmail ?? '',
  };
}

@Injectable()
export class InviteCustomerHandler {
  constructor(
    private readonly runner: CustomerCommandRunner,
    private readonly signer: InvitationLinkSigner,
    @Inject(CUSTOMERS_CLOCK) private readonly clock: Clock,
    @Inject(CUSTOMERS_IDS) private readonly ids: IdGenerator,
  ) {}

  async execute(command: InviteCustomerCommand): Promise<InvitationResult> {
    const customerId = this.ids.next();
    const outcome = await this.runner.startNew(
      customerId,
      { type: 'InviteCustomer', data: { ...command.invitation, customerId, partnerId: command.actor.partnerId } },
      eventMetadataFor(command.actor, this.clock),
    );
    return { outcome, invitation: issuedInvitation(outcome, this.signer) };
  }
}
