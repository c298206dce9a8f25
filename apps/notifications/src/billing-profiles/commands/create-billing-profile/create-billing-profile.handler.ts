import { Inject, Injectable } from '@nestjs/common';
import type { Clock, IdGenerator } from '@platform/core';
import { eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { NOTIFICATIONS_CLOCK, NOTIFICATIONS_IDS } from '../../../shared/notifications.tokens';
import type { ProfileOutcome } from '../../../shared/infrastructure/profile-command-runner';
import type { BillingProfileSettings } from '../../domain/billing-profile';
import { BillingProfileRunner } from '../../infrastructure/billing-profile.runner';
import type { CreateBillingProfileRequest } from './create-billing-profile.request';

@Injectable()
export class CreateBillingProfileHandler {
  constructor(
    private readonly runner: BillingProfileRunner,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
    @Inject(NOTIFICATIONS_IDS) private readonly ids: IdGenerator,
  ) {}

  execute(actor: AuthenticatedActor, request: CreateBillingProfileRequest): Promise<ProfileOutcome<BillingProfileSettings>> {
    const profileId = this.ids.next();
    const settings: BillingProfileSettings = {
      name: request.name,
      frequency: request.frequency,
      sendDay: request.sendDay,
      sendMonth: request.sendMonth ?? null,
    };
    return this.runner.run(profileId, { type: 'Create', data: { profileId, partnerId: actor.partnerId, settings } }, eventMetadataFor(actor, this.clock));
  }
}
