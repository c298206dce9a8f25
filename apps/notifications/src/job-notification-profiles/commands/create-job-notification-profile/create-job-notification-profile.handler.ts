import { Inject, Injectable } from '@nestjs/common';
import type { Clock, IdGenerator } from '@platform/core';
import { eventMetadataFor, type AuthenticatedActor } from '@platform/service-kit';
import { NOTIFICATIONS_CLOCK, NOTIFICATIONS_IDS } from '../../../shared/notifications.tokens';
import type { ProfileOutcome } from '../../../shared/infrastructure/profile-command-runner';
import type { JobNotificationProfileSettings } from '../../domain/job-notification-profile';
import { JobNotificationProfileRunner } from '../../infrastructure/job-notification-profile.runner';
import type { CreateJobNotificationProfileRequest } from './create-job-notification-profile.request';

@Injectable()
export class CreateJobNotificationProfileHandler {
  constructor(
    private readonly runner: JobNotificationProfileRunner,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
    @Inject(NOTIFICATIONS_IDS) private readonly ids: IdGenerator,
  ) {}

  execute(actor: AuthenticatedActor, request: CreateJobNotificationProfileRequest): Promise<ProfileOutcome<JobNotificationProfileSettings>> {
    const profileId = this.ids.next();
    const settings: JobNotificationProfileSettings = {
      name: request.name,
      outcomes: request.outcomes,
      recipients: request.recipients,
      intervalMinutes: request.intervalMinutes ?? 1440,
      locale: request.locale ?? 'en',
    };
    return this.runner.run(profileId, { type: 'Create', data: { profileId, partnerId: actor.partnerId, settings } }, eventMetadataFor(actor, this.clock));
  }
}
