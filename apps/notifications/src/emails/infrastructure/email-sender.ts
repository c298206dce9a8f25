import { backoffDelay, type BackoffOptions } from '@platform/core';
import type { ClaimedEmail, EmailOutbox } from './email-outbox';
import type { Mailer } from './smtp-mailer';

export interface EmailSenderLogger {
  info(context: Record<string, unknown>, message: string): void;
  warn(context: Record<string, unknown>, message: string): void;
}

export interface EmailSenderOptions {
  /** Most emails claimed per query (default 200). */
  batchSize?: number;
  /** Emails being sent at once (default 64); the mailer's connection pool queues them. */
  maxInFlight?: number;
  /** How long a claim holds before the row comes due again (default 120 s). */
  leaseMs?: number;
  /** Fallback poll when nobody wakes the sender (default 2 s). */
  pollMs?: number;
  /** Between tries of a temporarily refused email (default 1 s doubling to 10 min, 20 % jitter). */
  backoff?: BackoffOptions;
  /** Temporary failures before an email is parked anyway (default 30, about 4 hours with the default backoff). */
  maxAttempts?: number;
  logger?: EmailSenderLogger;
  /** Told of each settled email (metrics). */
  onSettled?: (email: ClaimedEmail, outcome: 'sent' | 'deferred' | 'parked') => void;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 600_000, jitter: 0.2 };
const silent: EmailSenderLogger = { info: () => undefined, warn: () => undefined };
/** Delivered emails are marked sent together, at most this long after delivery. */
const SENT_FLUSH_MS = 10;

export interface SenderCounters {
  sent: number;
  retried: number;
  parked: number;
}

/**
 * Delivers the outbox: claims due emails (in batches, with a lease), keeps up to `maxInFlight`
 * of them going through the pooled mailer, and settles each: sent (marked in batches),
 * retried later with exponential backoff and jitter, or parked when the refusal is permanent.
 * Woken in-process when emails are enqueued, it also polls slowly, so rows written by another
 * instance, or left by a crash, go out too. Logs carry ids, kinds and SMTP codes only: never
 * addresses or links.
 */
export class EmailSender {
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly backoff: BackoffOptions;
  private readonly maxAttempts: number;
  private readonly logger: EmailSenderLogger;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wakeUp: (() => void) | undefined;
  private lastWakeAt = 0;
  private woken = false;
  private readonly inFlight = new Set<Promise<void>>();
  private delivered: ClaimedEmail[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | undefined;
  readonly counters: SenderCounters = { sent: 0, retried: 0, parked: 0 };

  constructor(
    private readonly outbox: EmailOutbox,
    private readonly mailer: Mailer,
    private readonly options: EmailSenderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 200;
    this.maxInFlight = options.maxInFlight ?? 64;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.pollMs = options.pollMs ?? 2000;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.maxAttempts = options.maxAttempts ?? 30;
    this.logger = options.logger ?? silent;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.loop();
  }

  /** Takes no new work, lets what is being sent finish and records it. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.running;
    this.running = undefined;
    await Promise.allSettled([...this.inFlight]);
    await this.flush();
  }

  /**
   * Something was enqueued (maybe in a transaction that has not committed yet): look now, and
   * keep looking often for a moment rather than waiting for the slow poll.
   */
  wake(): void {
    this.lastWakeAt = Date.now();
    this.woken = true;
    this.wakeUp?.();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.woken = false;
      const room = this.maxInFlight - this.inFlight.size;
      let claimed = 0;
      if (room > 0) {
        try {
          const batch = await this.outbox.claim(Math.min(room, this.batchSize), this.leaseMs);
          failures = 0;
          claimed = batch.length;
          for (const email of batch) this.track(this.deliver(email));
        } catch (e) {
          failures++;
          this.logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'claiming emails failed');
          await this.pause(backoffDelay(failures, { initialMs: 200, maxMs: 10_000 }));
          continue;
        }
      }
      if (this.woken || (claimed > 0 && this.inFlight.size < this.maxInFlight)) continue;
      // Full: the next finished send wakes us. Recently woken: the enqueuing transaction may
      // commit any moment, so look again soon. Otherwise: the slow poll.
      const recentlyWoken = Date.now() - this.lastWakeAt < 1000;
      await this.pause(this.inFlight.size >= this.maxInFlight ? this.pollMs : recentlyWoken ? 20 : this.pollMs);
    }
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => {
      this.inFlight.delete(p);
      this.wakeUp?.();
    });
  }

  private async deliver(email: ClaimedEmail): Promise<void> {
    try {
      const outcome = await this.mailer.send({
        to: email.recipient,
        subject: email.subject,
        html: email.html,
        text: email.text,
        messageId: `<${email.id}@notifications.msp-platform>`,
      });
      if (outcome.ok) {
        this.delivered.push(email);
        this.flushTimer ??= setTimeout(() => void this.flush(), SENT_FLUSH_MS);
        return;
      }
      if (outcome.permanent || email.attempts >= this.maxAttempts) {
        const reason = outcome.permanent ? outcome.reason : `${outcome.reason}; gave up after ${email.attempts} tries`;
        await this.outbox.park(email.id, reason);
        this.counters.parked++;
        this.options.onSettled?.(email, 'parked');
        this.logger.warn({ emailId: email.id, kind: email.kind, reason }, 'email parked');
        return;
      }
      const delayMs = backoffDelay(email.attempts, this.backoff);
      await this.outbox.retryLater(email.id, delayMs, outcome.reason);
      this.counters.retried++;
      this.options.onSettled?.(email, 'deferred');
      this.logger.info({ emailId: email.id, kind: email.kind, attempt: email.attempts, delayMs, reason: outcome.reason }, 'email deferred');
    } catch (e) {
      // The database failed while settling: the lease runs out and the email comes due again.
      this.logger.warn({ emailId: email.id, error: e instanceof Error ? e.message : String(e) }, 'settling an email failed');
    }
  }

  /** Marks what was delivered as sent, in one statement. */
  private flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.delivered;
    this.delivered = [];
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing
      .then(() => this.outbox.markSent(batch.map((e) => e.id)))
      .then(
        () => {
          this.counters.sent += batch.length;
          for (const e of batch) this.options.onSettled?.(e, 'sent');
        },
        (e: unknown) => this.logger.warn({ emails: batch.length, error: e instanceof Error ? e.message : String(e) }, 'marking emails sent failed'),
      );
    return this.flushing;
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
