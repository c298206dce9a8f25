import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { deterministicUuid, type Clock } from '@platform/core';
import { inTransaction } from '@platform/event-store';
import { PG_POOL } from '@platform/service-kit';
import { CustomerFactsStore } from '../../customer-facts/customer-facts.store';
import { jobDigestEmail } from '../../emails/domain/email-models';
import { EmailQueue } from '../../emails/infrastructure/email-queue';
import { NOTIFICATIONS_CLOCK } from '../../shared/notifications.tokens';
import { digestDue } from '../domain/job-notification-profile';

/** How often the scheduler looks for digests to send. */
export const JOB_DIGEST_TICK_MS = 60_000;

interface ProfileRow {
  id: string;
  name: string;
  outcomes: string[];
  recipients: string[];
  interval_minutes: number;
  locale: string;
}

/**
 * Job notifications (F18): the job results a customer's job notification profile asks for are
 * gathered and sent as one digest to the profile's recipients, at most once per the profile's
 * interval (per customer). The digest, its results marked and the time it went out are one
 * transaction: a restart neither loses nor repeats a digest.
 */
@Injectable()
export class JobDigestScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('notifications.job-digests');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
    private readonly queue: EmailQueue,
    private readonly facts: CustomerFactsStore,
  ) {}

  onApplicationBootstrap(): void {
    const run = () => {
      this.running = this.tick().catch((e: unknown) => this.logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'job digest tick failed'));
    };
    this.timer = setInterval(run, JOB_DIGEST_TICK_MS);
    this.timer.unref();
    run();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Sends every digest that is due. Returns how many emails were queued. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const { rows: waiting } = await this.pool.query<{ customer_id: string }>(
      'SELECT DISTINCT customer_id FROM notifications_job_results WHERE digested_at IS NULL ORDER BY customer_id',
    );
    let queued = 0;
    for (const { customer_id: customerId } of waiting) {
      queued += await inTransaction(this.pool, async (tx) => {
        const customer = await this.facts.get(tx, customerId);
        if (!customer || customer.status === 'disconnected' || !customer.jobNotificationProfileId) return 0;
        const { rows: profiles } = await tx.query<ProfileRow>(
          `SELECT id, name, outcomes, recipients, interval_minutes, locale FROM notifications_job_notification_profiles
            WHERE id::text = $1 AND partner_id = $2`,
          [customer.jobNotificationProfileId, customer.partnerId],
        );
        const profile = profiles[0];
        if (!profile) return 0;
        // One digest per (customer, profile) at a time, across instances.
        await tx.query(
          `INSERT INTO notifications_job_digests (customer_id, profile_id, last_sent_at) VALUES ($1, $2, 'epoch') ON CONFLICT DO NOTHING`,
          [customerId, profile.id],
        );
        const { rows: state } = await tx.query<{ last_sent_at: Date }>(
          'SELECT last_sent_at FROM notifications_job_digests WHERE customer_id = $1 AND profile_id = $2 FOR UPDATE',
          [customerId, profile.id],
        );
        const last = state[0].last_sent_at.getTime() === 0 ? null : state[0].last_sent_at;
        if (!digestDue(last, profile.interval_minutes, now)) return 0;
        const { rows: results } = await tx.query<{ event_id: string; product: string; outcome: string; job_name: string | null; finished_at: Date }>(
          `SELECT event_id, product, outcome, job_name, finished_at FROM notifications_job_results
            WHERE customer_id = $1 AND digested_at IS NULL AND outcome = ANY($2::text[]) ORDER BY finished_at, event_id FOR UPDATE`,
          [customerId, profile.outcomes],
        );
        if (results.length === 0) return 0;
        const windowStart = last ?? results[0].finished_at;
        const content = jobDigestEmail({
          locale: profile.locale,
          organizationName: customer.organizationName ?? '',
          profileName: profile.name,
          intervalMinutes: profile.interval_minutes,
          windowStart: windowStart.toISOString(),
          windowEnd: now.toISOString(),
          jobs: results.map((r) => ({ finishedAt: r.finished_at.toISOString(), product: r.product, outcome: r.outcome, jobName: r.job_name })),
        });
        const digestId = deterministicUuid('job-digest', customerId, profile.id, now.toISOString());
        const added = await this.queue.add(
          tx,
          profile.recipients.map((recipient) => ({
            eventId: digestId,
            recipient,
            partnerId: customer.partnerId,
            customerId,
            triggeredAt: now.toISOString(),
            content,
          })),
        );
        await tx.query('UPDATE notifications_job_results SET digested_at = $2 WHERE event_id = ANY($1::text[])', [results.map((r) => r.event_id), now]);
        await tx.query('UPDATE notifications_job_digests SET last_sent_at = $3 WHERE customer_id = $1 AND profile_id = $2', [customerId, profile.id, now]);
        return added;
      });
    }
    return queued;
  }
}
