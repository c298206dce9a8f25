import { Module } from '@nestjs/common';
import { EmailsModule } from '../emails/emails.module';
import { ConfirmEmailVerificationHandler } from './commands/confirm-email-verification/confirm-email-verification.handler';
import { ConfirmEmailVerificationHttpController } from './commands/confirm-email-verification/confirm-email-verification.http.controller';
import { ResendVerificationHandler } from './commands/resend-verification/resend-verification.handler';
import { ResendVerificationHttpController } from './commands/resend-verification/resend-verification.http.controller';
import { ListReportRecipientsHttpController } from './queries/list-report-recipients/list-report-recipients.http.controller';
import { ListReportRecipientsQuery } from './queries/list-report-recipients/list-report-recipients.query';

/** Verification of customer report addresses (F15): confirm (public), the partner's view, a new link on request. */
@Module({
  imports: [EmailsModule],
  controllers: [ConfirmEmailVerificationHttpController, ListReportRecipientsHttpController, ResendVerificationHttpController],
  providers: [ConfirmEmailVerificationHandler, ListReportRecipientsQuery, ResendVerificationHandler],
})
export class ReportRecipientsModule {}
