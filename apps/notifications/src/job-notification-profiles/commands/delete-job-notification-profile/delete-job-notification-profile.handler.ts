import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@platform/core';
import { eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { NOTIFICATIONS_CLOCK } from '../../../shared/notifications.tokens';
import { JobNotificationProfileRunner } from '../../infrastructure/job-notification-profile.runner';

/** Customers that named the profile get no job notifications until they name another. */
@Injectable()
export class DeleteJobNotificationProfileHandler {
  constructor(
    private readonly runner: JobNotificationProfileRunner,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(actor: AuthenticatedActor, profileId: string, ifMatch: number | undefined): Promise<void> {
    await this.runner.run(profileId, { type: 'Delete', data: { partnerId: actor.partnerId } }, eventMetadataFor(actor, this.clock), ifMatch);
  }
}
