import { Module, type OnModuleInit } from '@nestjs/common';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, ServiceProjections } from '@platform/service-kit';
import { EmailsModule } from '../emails/emails.module';
import { CreateJobNotificationProfileHandler } from './commands/create-job-notification-profile/create-job-notification-profile.handler';
import { DeleteJobNotificationProfileHandler } from './commands/delete-job-notification-profile/delete-job-notification-profile.handler';
import { UpdateJobNotificationProfileHandler } from './commands/update-job-notification-profile/update-job-notification-profile.handler';
import { JobDigestScheduler } from './infrastructure/job-digest.scheduler';
import { JobNotificationProfileRunner } from './infrastructure/job-notification-profile.runner';
import { JobNotificationProfilesHttpController } from './job-notification-profiles.http.controller';
import { jobNotificationProfilesProjection } from './projections/job-notification-profiles.projection';
import { ListJobNotificationProfilesQuery } from './queries/list-job-notification-profiles/list-job-notification-profiles.query';

/** Job notification profiles (CRUD, event-sourced, read model) and the job digest scheduler. */
@Module({
  imports: [EmailsModule],
  controllers: [JobNotificationProfilesHttpController],
  providers: [
    { provide: JobNotificationProfileRunner, inject: [EVENT_STORE], useFactory: (store: EventStore) => new JobNotificationProfileRunner(store) },
    CreateJobNotificationProfileHandler,
    UpdateJobNotificationProfileHandler,
    DeleteJobNotificationProfileHandler,
    ListJobNotificationProfilesQuery,
    JobDigestScheduler,
  ],
})
export class JobNotificationProfilesModule implements OnModuleInit {
  constructor(private readonly projections: ServiceProjections) {}

  onModuleInit(): void {
    this.projections.add(jobNotificationProfilesProjection);
  }
}
