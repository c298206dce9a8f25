import type { Pool } from 'pg';
import { uuidv7 } from '@platform/core';
import type { EmailKind } from '../domain/email-models';
import type { RenderedEmail } from './template-catalog';

/** `Pick<Pool | PoolClient, 'query'>`: a pool, or the transaction of the triggering event. */
export type Queryable = Pick<Pool, 'query'>;

export interface NewOutboxEmail {
  /** The triggering event (or a derived id for scheduled emails): with recipient and kind, the dedup key. */
  eventId: string;
  kind: EmailKind;
  recipient: string;
  partnerId: string;
  customerId: string | null;
  language: string;
  /** When the triggering event happened (latency is measured from here). */
  triggeredAt: string;
  content: RenderedEmail;
}

export interface ClaimedEmail {
  id: string;
  eventId: string;
  kind: EmailKind;
  recipient: string;
  subject: string;
  html: string;
  text: string;
  attempts: number;
  triggeredAt: Date;
}

export type OutboxStatus = 'pending' | 'sent' | 'parked';

/** What the partner sees of an email (no body: it may hold links that are bearer secrets). */
export interface OutboxEntryView {
  id: string;
  kind: string;
  recipient: string;
  customerId: string | null;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
}

/**
 * The emails to send, in PostgreSQL: enqueued in the triggering event's transaction, claimed
 * by the sender with a lease (a sender that dies mid-send leaves rows that become due again),
 * then marked sent, rescheduled or parked.
 */
export class EmailOutbox {
  constructor(private readonly pool: Pool) {}

  /** Inserts what is new; a (event, recipient, kind) already there is left as it is. Returns how many were added. */
  async enqueue(db: Queryable, emails: readonly NewOutboxEmail[]): Promise<number> {
    if (emails.length === 0) return 0;
    const cols = 11;
    const values: unknown[] = [];
    const rows = emails.map((e, i) => {
      values.push(
        uuidv7(),
        e.eventId,
        e.recipient.toLowerCase(),
        e.kind,
        e.partnerId,
        e.customerId,
        e.language,
        e.content.subject,
        e.content.html,
        e.content.text,
        e.triggeredAt,
      );
      return `(${Array.from({ length: cols }, (_, j) => `$${i * cols + j + 1}`).join(', ')})`;
    });
    const res = await db.query(
      `INSERT INTO notifications_outbox (id, event_id, recipient, kind, partner_id, customer_id, language, subject, html, text_body, triggered_at)
       VALUES ${rows.join(', ')}
       ON CONFLICT (event_id, recipient, kind) DO NOTHING`,
      values,
    );
    return res.rowCount ?? 0;
  }

  /** Takes up to `limit` due emails for `leaseMs` (they come due again if not settled by then). */
  async claim(limit: number, leaseMs: number): Promise<ClaimedEmail[]> {
    const { rows } = await this.pool.query<{
      id: string;
      event_id: string;
      kind: EmailKind;
      recipient: string;
      subject: string;
      html: string;
      text_body: string;
      attempts: number;
      triggered_at: Date;
    }>(
      `UPDATE notifications_outbox o
          SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), attempts = o.attempts + 1
         FROM (SELECT id FROM notifications_outbox
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT $1
                FOR UPDATE SKIP LOCKED) due
        WHERE o.id = due.id
        RETURNING o.id, o.event_id, o.kind, o.recipient, o.subject, o.html, o.text_body, o.attempts, o.triggered_at`,
      [limit, leaseMs],
    );
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      kind: r.kind,
      recipient: r.recipient,
      subject: r.subject,
      html: r.html,
      text: r.text_body,
      attempts: r.attempts,
      triggeredAt: r.triggered_at,
    }));
  }

  /** Delivered: the bodies are dropped (they held links), the row stays as the dedup record. */
  async markSent(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(
      `UPDATE notifications_outbox SET status = 'sent', sent_at = now(), html = NULL, text_body = NULL, last_error = NULL
        WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
      [ids],
    );
  }

  async retryLater(id: string, delayMs: number, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE notifications_outbox SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), last_error = $3
        WHERE id = $1 AND status = 'pending'`,
      [id, delayMs, error],
    );
  }

  /** A permanent failure: kept (with its body, for a retry by an operator), visible, never retried by itself. */
  async park(id: string, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE notifications_outbox SET status = 'parked', last_error = $2 WHERE id = $1 AND status = 'pending'`,
      [id, error],
    );
  }

  /** Queued, not yet sent emails of one kind to a customer are no longer wanted (a revoked or replaced invitation). */
  async dropPending(db: Queryable, customerId: string, kind: EmailKind): Promise<number> {
    const res = await db.query(`DELETE FROM notifications_outbox WHERE customer_id = $1 AND kind = $2 AND status = 'pending'`, [customerId, kind]);
    return res.rowCount ?? 0;
  }

  /** CustomerDisconnected: nothing more goes out to that customer, and what it was sent is forgotten. */
  async dropCustomer(db: Queryable, customerId: string): Promise<number> {
    const res = await db.query(`DELETE FROM notifications_outbox WHERE customer_id = $1`, [customerId]);
    return res.rowCount ?? 0;
  }

  async list(partnerId: string, options: { status?: OutboxStatus; customerId?: string; id?: string; limit: number }): Promise<OutboxEntryView[]> {
    const { rows } = await this.pool.query<{
      id: string;
      kind: string;
      recipient: string;
      customer_id: string | null;
      status: OutboxStatus;
      attempts: number;
      last_error: string | null;
      created_at: Date;
      sent_at: Date | null;
      next_attempt_at: Date;
    }>(
      `SELECT id, kind, recipient, customer_id, status, attempts, last_error, created_at, sent_at, next_attempt_at
         FROM notifications_outbox
        WHERE partner_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR customer_id = $3)
          AND ($5::uuid IS NULL OR id = $5)
        ORDER BY created_at DESC, id DESC
        LIMIT $4`,
      [partnerId, options.status ?? null, options.customerId ?? null, options.limit, options.id ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      recipient: r.recipient,
      customerId: r.customer_id,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
      sentAt: r.sent_at ? r.sent_at.toISOString() : null,
      nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
    }));
  }

  /** A parked email of this partner goes back to the queue (an operator fixed the address or the server). */
  async requeue(partnerId: string, id: string): Promise<OutboxEntryView | undefined> {
    const res = await this.pool.query<{ id: string }>(
      `UPDATE notifications_outbox SET status = 'pending', next_attempt_at = now(), attempts = 0
        WHERE id = $1 AND partner_id = $2 AND status = 'parked' AND html IS NOT NULL
        RETURNING id`,
      [id, partnerId],
    );
    if (res.rows.length === 0) return undefined;
    return (await this.list(partnerId, { id, limit: 1 }))[0];
  }

  /** Counts per status (for /metrics). */
  async counts(): Promise<Record<OutboxStatus, number>> {
    const { rows } = await this.pool.query<{ status: OutboxStatus; n: number }>(
      `SELECT status, count(*)::int AS n FROM notifications_outbox GROUP BY status`,
    );
    const out: Record<OutboxStatus, number> = { pending: 0, sent: 0, parked: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }
}
