import { Module } from '@nestjs/common';
import { BillingProfilesModule } from './billing-profiles/billing-profiles.module';
import { CustomerEmailsModule } from './customer-emails/customer-emails.module';
import { EmailsModule } from './emails/emails.module';
import { JobNotificationProfilesModule } from './job-notification-profiles/job-notification-profiles.module';
import { notificationsInfrastructure } from './notifications-infrastructure';
import { ReportEmailsModule } from './report-emails/report-emails.module';
import { ReportRecipientsModule } from './report-recipients/report-recipients.module';

export { notificationsInfrastructure } from './notifications-infrastructure';

/**
 * Notifications (F18): invitation, address verification, report-ready, billing-report and
 * job-notification emails, localised (en, it, fr), through a transactional outbox to SMTP.
 */
@Module({
  imports: [notificationsInfrastructure, EmailsModule, CustomerEmailsModule, ReportEmailsModule, ReportRecipientsModule, BillingProfilesModule, JobNotificationProfilesModule],
  exports: [notificationsInfrastructure],
})
export class NotificationsModule {}
