import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@platform/core';
import { eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { NOTIFICATIONS_CLOCK } from '../../../shared/notifications.tokens';
import type { ProfileOutcome } from '../../../shared/infrastructure/profile-command-runner';
import type { BillingProfileSettings } from '../../domain/billing-profile';
import { BillingProfileRunner } from '../../infrastructure/billing-profile.runner';
import type { UpdateBillingProfileRequest } from '../create-billing-profile/create-billing-profile.request';

@Injectable()
export class UpdateBillingProfileHandler {
  constructor(
    private readonly runner: BillingProfileRunner,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
  ) {}

  execute(
    actor: AuthenticatedActor,
    profileId: string,
    changes: UpdateBillingProfileRequest,
    ifMatch: number | undefined,
  ): Promise<ProfileOutcome<BillingProfileSettings>> {
    return this.runner.run(
      profileId,
      { type: 'Update', data: { partnerId: actor.partnerId, changes: { ...changes } } },
      eventMetadataFor(actor, this.clock),
      ifMatch,
    );
  }
}
