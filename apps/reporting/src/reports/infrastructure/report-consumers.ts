import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Topics, type IntegrationEvent } from '@platform/contracts';
import { ServiceConsumers } from '@platform/service-kit';
import type { PoolClient } from 'pg';
import { JOB_RUNS_TABLE, STORAGE_SAMPLES_TABLE } from '../../exports/projections/report-data.projection';
import { REPORT_ACTIVITY_TABLE, REPORT_FILES_TABLE, VERIFIED_RECIPIENTS_TABLE } from './reports.schema';

export const RECIPIENT_VERIFICATION_GROUP = 'reporting.recipient-verification';
export const REPORT_DATA_ERASURE_GROUP = 'reporting.report-data-erasure';

/** `ReportRecipientVerified` (notifications): the address may now receive this customer's reports (F15). */
export async function applyRecipientVerified(event: IntegrationEvent, tx: PoolClient): Promise<void> {
  if (event.type !== 'ReportRecipientVerified') return;
  const email = (event.data as { email?: unknown }).email;
  if (typeof email !== 'string' || email.length === 0) return;
  await tx.query(
    `INSERT INTO ${VERIFIED_RECIPIENTS_TABLE} (customer_id, email, verified_at) VALUES ($1, $2, $3)
     ON CONFLICT (customer_id, email) DO NOTHING`,
    [event.subject.toLowerCase(), email.trim().toLowerCase(), event.time],
  );
}

/** `CustomerDisconnected` (F6): this service's data about the customer goes — report files, activity, addresses, telemetry read models. */
export async function eraseCustomerReportData(event: IntegrationEvent, tx: PoolClient): Promise<void> {
  if (event.type !== 'CustomerDisconnected') return;
  const customerId = event.subject.toLowerCase();
  for (const table of [VERIFIED_RECIPIENTS_TABLE, REPORT_FILES_TABLE, REPORT_ACTIVITY_TABLE, JOB_RUNS_TABLE, STORAGE_SAMPLES_TABLE]) {
    await tx.query(`DELETE FROM ${table} WHERE customer_id = $1`, [customerId]);
  }
}

@Injectable()
export class ReportConsumersRegistration implements OnModuleInit {
  constructor(@Inject(ServiceConsumers) private readonly consumers: ServiceConsumers) {}

  onModuleInit(): void {
    this.consumers.add({
      groupId: RECIPIENT_VERIFICATION_GROUP,
      topics: [Topics.notifications],
      handler: applyRecipientVerified,
      eventTypes: ['ReportRecipientVerified'],
    });
    this.consumers.add({
      groupId: REPORT_DATA_ERASURE_GROUP,
      topics: [Topics.customers],
      handler: eraseCustomerReportData,
      eventTypes: ['CustomerDisconnected'],
    });
  }
}
