import type { PoolClient } from 'pg';
import type { IntegrationEvent, IntegrationEventOf } from '@platform/contracts';
import type { CustomerFactsStore } from '../customer-facts/customer-facts.store';
import { reportReadyEmail, scheduledExportEmail } from '../emails/domain/email-models';
import type { EmailQueue, EmailToQueue } from '../emails/infrastructure/email-queue';
import { recordJobResult } from '../job-notification-profiles/infrastructure/job-results';
import { normalizeEmail } from '../report-recipients/domain/report-recipients';
import type { ReportRecipientsStore } from '../report-recipients/infrastructure/report-recipients.store';

export interface ReportEventsDependencies {
  facts: CustomerFactsStore;
  recipients: ReportRecipientsStore;
  queue: EmailQueue;
}

/**
 * The reaction to reporting.events.v1 (inbox consumer `notifications.report-emails`):
 * `ReportGenerated` (a report from a template, or a scheduled export, F15–F17) → one “report
 * ready” email per recipient with the download link; customer recipients only when their
 * address is verified (service reports), nothing at all for a disconnected customer.
 * `ScheduledReportExported` (F17, over all customers) → one “scheduled export” email per recipient.
 * `BackupJobCompleted` → kept for the customer's job notification digest (JobDigestScheduler).
 */
export class ReportEventsHandler {
  constructor(private readonly deps: ReportEventsDependencies) {}

  readonly handle = async (event: IntegrationEvent, tx: PoolClient): Promise<void> => {
    if (event.type === 'ReportGenerated') await this.reportGenerated(event, tx);
    else if (event.type === 'ScheduledReportExported') await this.scheduledExport(event, tx);
    else if (event.type === 'BackupJobCompleted') {
      // Kept for the customer's next job notification digest when its profile asks for the outcome.
      await recordJobResult(tx, this.deps.facts, {
        eventId: event.id,
        partnerId: event.partnerId,
        customerId: event.subject,
        product: event.data.product,
        outcome: event.data.status,
        jobName: event.data.workload,
        finishedAt: event.data.endedAt,
      });
    }
  };

  /** F17: an export over all the partner's customers; the subject is the partner, the recipients its users. */
  private async scheduledExport(event: IntegrationEventOf<'ScheduledReportExported'>, tx: PoolClient): Promise<void> {
    const d = event.data;
    const recipients = [...new Set(d.recipients.map((r) => normalizeEmail(r.email)))];
    await this.deps.queue.add(
      tx,
      recipients.map((recipient) => ({
        eventId: event.id,
        recipient,
        partnerId: event.partnerId,
        customerId: null,
        triggeredAt: event.time,
        content: scheduledExportEmail({
          locale: d.locale,
          reportName: d.reportName,
          format: d.format,
          period: d.period,
          link: d.downloadLink,
          expiresAt: d.expiresAt,
        }),
      })),
    );
  }

  private async reportGenerated(event: IntegrationEventOf<'ReportGenerated'>, tx: PoolClient): Promise<void> {
    const customerId = event.subject;
    const facts = await this.deps.facts.get(tx, customerId);
    if (facts?.status === 'disconnected') return;
    const d = event.data;
    const verified = d.recipients.some((r) => r.kind === 'customer')
      ? await this.deps.recipients.verified(tx, customerId, 'service')
      : new Set<string>();
    const seen = new Set<string>();
    const emails: EmailToQueue[] = [];
    for (const r of d.recipients) {
      const email = normalizeEmail(r.email);
      if (seen.has(email)) continue;
      if (r.kind === 'customer' && !verified.has(email)) continue;
      seen.add(email);
      emails.push({
        eventId: event.id,
        recipient: email,
        partnerId: event.partnerId,
        customerId,
        triggeredAt: event.time,
        content: reportReadyEmail({
          locale: d.locale ?? facts?.locale,
          organizationName: facts?.organizationName,
          reportName: d.reportName,
          format: d.format,
          link: d.downloadLink,
        }),
      });
    }
    await this.deps.queue.add(tx, emails);
  }
}
