import { Logger } from '@nestjs/common';
import { deterministicUuid, type Clock } from '@platform/core';
import type { Pool } from 'pg';
import type { SubscriptionCommandRunner } from './subscription-command-runner';

/** Timers the scheduler arms (fake ones in tests). */
export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: SchedulerTimers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ExpirySchedulerOptions {
  /** Longest sleep between looks at the schedule, even with nothing due sooner (default 60 s). */
  maxSleepMs?: number;
  /** Due rows handled per look (default 100). */
  batchSize?: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** The system actor of term ends. */
export const SCHEDULER_ACTOR = { type: 'system' as const, id: 'subscriptions.expiry-scheduler' };

/**
 * Expires (or renews) subscriptions at their term end by itself (F11). The due times are a
 * table (`subscriptions_expiry_schedule`, kept by the customer-services projection); one timer
 * is armed for the earliest due time and re-armed when an earlier one is scheduled. A due row
 * becomes a `ReachTermEnd` command on the subscription's stream, appended with an event id
 * derived from (subscription, term end) and the expected version: after a restart or by a
 * second instance, the same term end never expires a subscription twice.
 */
export class ExpiryScheduler {
  private readonly logger = new Logger('subscriptions.expiry-scheduler');
  private readonly maxSleepMs: number;
  private readonly batchSize: number;
  private timer: unknown;
  private armedFor: number | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

  constructor(
    private readonly pool: Pool,
    private readonly runner: SubscriptionCommandRunner,
    private readonly clock: Clock,
    private readonly timers: SchedulerTimers = systemTimers,
    options: ExpirySchedulerOptions = {},
  ) {
    this.maxSleepMs = Math.min(options.maxSleepMs ?? 60_000, MAX_TIMER_MS);
    this.batchSize = options.batchSize ?? 100;
  }

  /** When the timer is armed for (epoch ms), for tests and metrics. */
  get nextWakeAt(): number | undefined {
    return this.armedFor;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    await this.running?.catch(() => undefined);
  }

  /** A term end was scheduled: arm earlier if it is earlier than what the timer waits for. */
  notify(dueAt: Date): void {
    if (this.stopped) return;
    if (this.armedFor === undefined || dueAt.getTime() < this.armedFor) this.arm(dueAt.getTime());
  }

  /** Handles what is due now; answers how many subscriptions reached their term end. */
  runDue(): Promise<number> {
    // One look at a time; a wake-up during a look is covered by the re-arm after it.
    this.running ??= this.processDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    try {
      await this.runDue();
    } catch (e) {
      this.logger.warn(`expiry run failed, retrying later: ${String(e)}`);
    }
    if (!this.stopped) await this.rearm();
  }

  private async rearm(): Promise<void> {
    const { rows } = await this.pool.query<{ due: Date | null }>('SELECT min(due_at) AS due FROM subscriptions_expiry_schedule');
    const due = rows[0]?.due ? new Date(rows[0].due).getTime() : undefined;
    const now = this.clock.now().getTime();
    this.arm(Math.min(due ?? Number.POSITIVE_INFINITY, now + this.maxSleepMs));
  }

  private arm(at: number): void {
    if (this.stopped) return;
    this.disarm();
    const now = this.clock.now().getTime();
    // Never longer than the longest sleep (nor than a timer can wait: 2^31 - 1 ms); the tick re-arms.
    this.armedFor = Math.min(at, now + this.maxSleepMs);
    const delay = Math.min(Math.max(0, this.armedFor - now), MAX_TIMER_MS);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.armedFor = undefined;
      void this.tick();
    }, delay);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = undefined;
  }

  private async processDue(): Promise<number> {
    const now = this.clock.now();
    const { rows } = await this.pool.query<{ subscription_id: string; due_at: Date }>(
      'SELECT subscription_id, due_at FROM subscriptions_expiry_schedule WHERE due_at <= $1 ORDER BY due_at LIMIT $2',
      [now.toISOString(), this.batchSize],
    );
    let ended = 0;
    for (const row of rows) {
      const termEndsAt = new Date(row.due_at).toISOString();
      try {
        if (await this.reachTermEnd(row.subscription_id, termEndsAt)) ended++;
        // Handled (or stale): the projection writes the next due time when the subscription renews.
        await this.pool.query('DELETE FROM subscriptions_expiry_schedule WHERE subscription_id = $1 AND due_at = $2', [
          row.subscription_id,
          row.due_at,
        ]);
      } catch (e) {
        this.logger.warn(`subscription ${row.subscription_id}: term end not recorded yet: ${String(e)}`);
      }
    }
    return ended;
  }

  private async reachTermEnd(subscriptionId: string, termEndsAt: string): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const loaded = await this.runner.load(subscriptionId);
      if (!loaded.state.partnerId) return false;
      try {
        const outcome = await this.runner.run(
          subscriptionId,
          { type: 'ReachTermEnd', data: { termEndsAt } },
          {
            partnerId: loaded.state.partnerId,
            ...(loaded.state.customerId ? { customerId: loaded.state.customerId } : {}),
            occurredAt: this.clock.now().toISOString(),
            correlationId: deterministicUuid('subscription-term-end', subscriptionId, termEndsAt),
            actor: SCHEDULER_ACTOR,
          },
          { eventIds: (i) => deterministicUuid('subscription-term-end', subscriptionId, termEndsAt, String(i)) },
        );
        return outcome.events.length > 0;
      } catch (e) {
        // Edited at the same moment: decide again on the new state.
        if (attempt < 2 && e instanceof Error && 'code' in e && (e as { code: string }).code === 'SUBSCRIPTION.CONCURRENT_UPDATE') continue;
        throw e;
      }
    }
  }
}
