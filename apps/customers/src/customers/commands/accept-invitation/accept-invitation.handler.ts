import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, uuidv7, type Clock } from '@platform/core';
import { currentRequestContext } from '@platform/service-kit';
import { CustomerErrorCode } from '../../domain/customer.errors';
import { CustomerCommandRunner, type CommandOutcome } from '../../infrastructure/customer-command-runner';
import { CUSTOMERS_CLOCK } from '../../infrastructure/customers-write.tokens';
import { InvitationLinkSigner, InvitationTokenError } from '../../infrastructure/invitation-link';
import type { AcceptInvitationCommand } from './accept-invitation.command';

const invitationNotFound = () => new NotFoundError(CustomerErrorCode.INVITATION_NOT_FOUND, 'Invitation not found.');

@Injectable()
export class AcceptInvitationHandler {
  constructor(
    private readonly runner: CustomerCommandRunner,
    private readonly signer: InvitationLinkSigner,
    @Inject(CUSTOMERS_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: AcceptInvitationCommand): Promise<CommandOutcome> {
    let claims;
    try {
      claims = this.signer.verify(command.token);
    } catch (e) {
      // Anything this service did not sign is, to the caller, no invitation at all.
      if (e instanceof InvitationTokenError) throw invitationNotFound();
      throw e;
    }
    const loaded = await this.runner.load(claims.customerId);
    if (loaded.state.partnerId === null) throw invitationNotFound();
    const context = currentRequestContext();
    return this.runner.decideAndAppend(
      loaded,
      { type: 'AcceptInvitation', data: { tokenId: claims.tokenId, registeredAccount: command.registeredAccount } },
      {
        partnerId: loaded.state.partnerId,
        occurredAt: this.clock.now().toISOString(),
        correlationId: context?.correlationId ?? uuidv7(),
        ...(context ? { causationId: context.requestId } : {}),
        // The customer acted (its admin's address is personal data and stays in the event, encrypted).
        actor: { type: 'customer', id: claims.customerId },
      },
    );
  }
}
