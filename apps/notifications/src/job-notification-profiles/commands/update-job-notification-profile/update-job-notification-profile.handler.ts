import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@platform/core';
import { eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { NOTIFICATIONS_CLOCK } from '../../../shared/notifications.tokens';
import type { ProfileOutcome } from '../../../shared/infrastructure/profile-command-runner';
import type { JobNotificationProfileSettings } from '../../domain/job-notification-profile';
import { JobNotificationProfileRunner } from '../../infrastructure/job-notification-profile.runner';
import type { UpdateJobNotificationProfileRequest } from '../create-job-notification-profile/create-job-notification-profile.request';

@Injectable()
export class UpdateJobNotificationProfileHandler {
  constructor(
    private readonly runner: JobNotificationProfileRunner,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
  ) {}

  execute(
    actor: AuthenticatedActor,
    profileId: string,
    changes: UpdateJobNotificationProfileRequest,
    ifMatch: number | undefined,
  ): Promise<ProfileOutcome<JobNotificationProfileSettings>> {
    return this.runner.run(
      profileId,
      { type: 'Update', data: { partnerId: actor.partnerId, changes: { ...changes } } },
      eventMetadataFor(actor, this.clock),
      ifMatch,
    );
  }
}
