import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { deterministicUuid, type Clock } from '@platform/core';
import { inTransaction } from '@platform/event-store';
import { PG_POOL } from '@platform/service-kit';
import { CustomerFactsStore } from '../../customer-facts/customer-facts.store';
import { billingReportEmail } from '../../emails/domain/email-models';
import { EmailQueue, type EmailToQueue } from '../../emails/infrastructure/email-queue';
import { ReportRecipientsStore } from '../../report-recipients/infrastructure/report-recipients.store';
import { NOTIFICATIONS_CLOCK } from '../../shared/notifications.tokens';
import { duePeriod, type BillingFrequency } from '../domain/billing-profile';
import { billableServices } from './subscription-events.handler';

interface ProfileRow {
  id: string;
  partner_id: string;
  name: string;
  frequency: BillingFrequency;
  send_day: number;
  send_month: number | null;
  created_at: Date;
}

/** How often the scheduler looks for due periods. */
export const BILLING_TICK_MS = 60_000;

/**
 * Billing reports per billing profile (F18): when a profile's send day has come, every
 * customer that sends billing reports with that profile gets one email per verified billing
 * address. Each (profile, period) fires once, across restarts and instances: the run is
 * recorded (unique key) in the transaction that queues its emails.
 */
@Injectable()
export class BillingReportScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('notifications.billing-reports');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
    private readonly queue: EmailQueue,
    private readonly facts: CustomerFactsStore,
    private readonly recipients: ReportRecipientsStore,
  ) {}

  onApplicationBootstrap(): void {
    const run = () => {
      this.running = this.tick().catch((e: unknown) => this.logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'billing tick failed'));
    };
    run();
    this.timer = setInterval(run, BILLING_TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Fires every due, not yet fired period. Returns how many emails were queued. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const { rows } = await this.pool.query<ProfileRow>(
      'SELECT id, partner_id, name, frequency, send_day, send_month, created_at FROM notifications_billing_profiles ORDER BY id',
    );
    let queued = 0;
    for (const p of rows) {
      const due = duePeriod({ frequency: p.frequency, sendDay: p.send_day, sendMonth: p.send_month }, now, p.created_at);
      if (!due) continue;
      queued += await inTransaction(this.pool, async (tx) => {
        const claimed = await tx.query(
          'INSERT INTO notifications_billing_runs (profile_id, period, emails) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING RETURNING profile_id',
          [p.id, due.period],
        );
        if (claimed.rows.length === 0) return 0;
        const emails: EmailToQueue[] = [];
        for (const customer of await this.facts.withBillingProfile(tx, p.id)) {
          if (customer.partnerId !== p.partner_id) continue;
          const verified = await this.recipients.verified(tx, customer.customerId, 'billing');
          if (verified.size === 0) continue;
          const services = await billableServices(tx, customer.customerId);
          const content = billingReportEmail({
            locale: customer.locale,
            organizationName: customer.organizationName ?? '',
            profileName: p.name,
            frequency: p.frequency,
            period: due.period,
            services,
          });
          for (const email of verified) {
            emails.push({
              eventId: deterministicUuid('billing-report', p.id, due.period, customer.customerId),
              recipient: email,
              partnerId: p.partner_id,
              customerId: customer.customerId,
              triggeredAt: due.sendAt.toISOString(),
              content,
            });
          }
        }
        const added = await this.queue.add(tx, emails);
        await tx.query('UPDATE notifications_billing_runs SET emails = $3 WHERE profile_id = $1 AND period = $2', [p.id, due.period, added]);
        this.logger.log({ profileId: p.id, period: due.period, emails: added }, 'billing reports queued');
        return added;
      });
    }
    return queued;
  }
}
