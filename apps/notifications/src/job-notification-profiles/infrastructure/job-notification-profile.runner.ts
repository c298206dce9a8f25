import type { EventStore } from '@platform/event-store';
import { ProfileCommandRunner, type ProfileOutcome } from '../../shared/infrastructure/profile-command-runner';
import type { JobNotificationProfileDto } from '../commands/create-job-notification-profile/create-job-notification-profile.request';
import {
  JOB_NOTIFICATION_PROFILE_CATEGORY,
  jobNotificationProfileSpec,
  type JobNotificationProfileSettings,
} from '../domain/job-notification-profile';

/** Commands on `jobnotificationprofile-<id>` streams. */
export class JobNotificationProfileRunner extends ProfileCommandRunner<JobNotificationProfileSettings> {
  constructor(store: EventStore) {
    super(store, jobNotificationProfileSpec, JOB_NOTIFICATION_PROFILE_CATEGORY);
  }
}

export function toJobNotificationProfileDto(o: ProfileOutcome<JobNotificationProfileSettings>): JobNotificationProfileDto {
  const s = o.state.settings!;
  return {
    id: o.profileId,
    name: s.name,
    outcomes: s.outcomes,
    recipients: s.recipients,
    intervalMinutes: s.intervalMinutes,
    locale: s.locale,
    version: o.version,
    createdAt: o.state.createdAt!,
    updatedAt: o.state.updatedAt!,
  };
}
