import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type Clock } from '@platform/core';
import { assertVersionMatches, eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { checkCustomerOf, checkPartnerManaged } from '../../domain/customer.decider';
import { CustomerLogoStore, type StoredLogo } from '../../infrastructure/customer-logo.store';
import { CustomerCommandRunner, type CommandOutcome } from '../../infrastructure/customer-command-runner';
import { CUSTOMERS_CLOCK } from '../../infrastructure/customers-write.tokens';
import type { ChangeLogoCommand, RemoveLogoCommand } from './change-logo.command';

export const LOGO_NOT_FOUND = 'CUSTOMER.LOGO_NOT_FOUND';

@Injectable()
export class ChangeLogoHandler {
  constructor(
    private readonly runner: CustomerCommandRunner,
    private readonly logos: CustomerLogoStore,
    @Inject(CUSTOMERS_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The bytes are stored (keyed by hash) before CustomerLogoChanged is appended, and only for
   * the partner's own, partner-managed customer; older versions are pruned once the log names
   * the new one.
   */
  async change(command: ChangeLogoCommand): Promise<CommandOutcome> {
    const loaded = await this.runner.load(command.customerId);
    const refused = checkCustomerOf(loaded.state, command.actor.partnerId) ?? checkPartnerManaged(loaded.state);
    if (refused) throw refused;
    assertVersionMatches(command.ifMatch, loaded.version);
    const sha256 = createHash('sha256').update(command.bytes).digest('hex');
    await this.logos.put(command.customerId, { contentType: command.contentType, bytes: command.bytes, sha256 });
    const outcome = await this.runner.decideAndAppend(
      loaded,
      { type: 'ChangeLogo', data: { partnerId: command.actor.partnerId, contentType: command.contentType, sizeBytes: command.bytes.length, sha256 } },
      eventMetadataFor(command.actor, this.clock),
    );
    await this.logos.prune(command.customerId, sha256);
    return outcome;
  }

  async remove(command: RemoveLogoCommand): Promise<CommandOutcome> {
    const outcome = await this.runner.run(
      command.customerId,
      { type: 'RemoveLogo', data: { partnerId: command.actor.partnerId } },
      eventMetadataFor(command.actor, this.clock),
      { ifMatch: command.ifMatch },
    );
    await this.logos.deleteAll(command.customerId);
    return outcome;
  }

  /** The logo the customer's stream names (any role of the owning partner may read it). */
  async get(actor: AuthenticatedActor, customerId: string): Promise<StoredLogo> {
    const { state } = await this.runner.load(customerId);
    const gone = checkCustomerOf(state, actor.partnerId);
    if (gone) throw gone;
    const logo = state.logo ? await this.logos.get(customerId, state.logo.sha256) : undefined;
    if (!logo) throw new NotFoundError(LOGO_NOT_FOUND, 'The customer has no logo.');
    return logo;
  }
}
