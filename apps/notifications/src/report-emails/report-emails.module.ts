import { Module, type OnModuleInit } from '@nestjs/common';
import { Topics } from '@platform/contracts';
import { ServiceConsumers } from '@platform/service-kit';
import { CustomerFactsStore } from '../customer-facts/customer-facts.store';
import { EmailsModule } from '../emails/emails.module';
import { EmailQueue } from '../emails/infrastructure/email-queue';
import { ReportRecipientsStore } from '../report-recipients/infrastructure/report-recipients.store';
import { ReportEventsHandler } from './report-events.handler';

export const REPORT_EMAILS_CONSUMER = 'notifications.report-emails';

/** “Report ready” emails (F15–F17) from reporting.events.v1. */
@Module({ imports: [EmailsModule] })
export class ReportEmailsModule implements OnModuleInit {
  constructor(
    private readonly consumers: ServiceConsumers,
    private readonly facts: CustomerFactsStore,
    private readonly recipients: ReportRecipientsStore,
    private readonly queue: EmailQueue,
  ) {}

  onModuleInit(): void {
    const handler = new ReportEventsHandler({ facts: this.facts, recipients: this.recipients, queue: this.queue });
    this.consumers.add({
      groupId: REPORT_EMAILS_CONSUMER,
      topics: [Topics.reporting],
      handler: handler.handle,
      eventTypes: ['ReportGenerated', 'ScheduledReportExported', 'BackupJobCompleted'],
    });
  }
}
