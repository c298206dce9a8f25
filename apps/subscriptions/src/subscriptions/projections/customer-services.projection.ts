import type { Pool, PoolClient } from 'pg';
import { migrate, streamCategory, type Projection, type RecordedEvent } from '@platform/event-store';
import { evolve, initialState, type SubscriptionEventEnvelope, type SubscriptionState } from '../domain/subscription.decider';
import {
  SUBSCRIPTION_STREAM_CATEGORY,
  SUBSCRIPTION_VIEW_STREAM_CATEGORY,
  type ExpiredServicesVisibilityChanged,
} from '../domain/subscription.events';

export const CUSTOMER_SERVICES_PROJECTION = 'subscriptions.customer-services';

/**
 * Read model of each customer's services (F10–F12) and its expiry schedule (F11):
 * `subscriptions_services` (one row per subscription, its folded state), `subscriptions_view_settings`
 * (hide expired services, per customer) and `subscriptions_expiry_schedule` (due time of each
 * active subscription's term end, read by the expiry scheduler).
 */
export function migrateCustomerServices(pool: Pool): Promise<string[]> {
  return migrate(pool, CUSTOMER_SERVICES_PROJECTION, [
    {
      id: '001_customer_services',
      sql: `CREATE TABLE subscriptions_services (
        subscription_id text PRIMARY KEY,
        customer_id text NOT NULL,
        partner_id text NOT NULL,
        service_code text NOT NULL,
        pooled boolean NOT NULL,
        status text NOT NULL,
        provisioning_state text NOT NULL,
        term_ends_at timestamptz NOT NULL,
        state jsonb NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX subscriptions_services_customer ON subscriptions_services (customer_id, service_code);
      CREATE TABLE subscriptions_view_settings (
        customer_id text PRIMARY KEY,
        partner_id text NOT NULL,
        hide_expired boolean NOT NULL,
        version integer NOT NULL
      );
      CREATE TABLE subscriptions_expiry_schedule (
        subscription_id text PRIMARY KEY,
        due_at timestamptz NOT NULL
      );
      CREATE INDEX subscriptions_expiry_schedule_due ON subscriptions_expiry_schedule (due_at);`,
    },
  ]);
}

interface StateRow {
  state: SubscriptionState;
}

export class CustomerServicesProjection implements Projection {
  readonly name = CUSTOMER_SERVICES_PROJECTION;
  readonly filter = { categories: [SUBSCRIPTION_STREAM_CATEGORY, SUBSCRIPTION_VIEW_STREAM_CATEGORY] };

  /** `onDue` hears of every term end scheduled (the scheduler re-arms its timer when it is earlier). */
  constructor(private readonly onDue: (dueAt: Date) => void = () => undefined) {}

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const due: Date[] = [];
    for (const e of events) {
      const id = e.streamId.slice(e.streamId.indexOf('-') + 1);
      if (streamCategory(e.streamId) === SUBSCRIPTION_VIEW_STREAM_CATEGORY) {
        if (e.type !== 'ExpiredServicesVisibilityChanged') continue;
        await tx.query(
          `INSERT INTO subscriptions_view_settings (customer_id, partner_id, hide_expired, version) VALUES ($1, $2, $3, $4)
           ON CONFLICT (customer_id) DO UPDATE SET hide_expired = EXCLUDED.hide_expired, version = EXCLUDED.version`,
          [id, e.metadata.partnerId, (e.data as ExpiredServicesVisibilityChanged['data']).hidden, e.streamVersion],
        );
        continue;
      }
      const { rows } = await tx.query<StateRow>('SELECT state FROM subscriptions_services WHERE subscription_id = $1', [id]);
      const before = rows[0]?.state ?? initialState;
      const after = evolve(before, e as unknown as SubscriptionEventEnvelope);
      if (!after.subscription) continue;
      await tx.query(
        `INSERT INTO subscriptions_services (subscription_id, customer_id, partner_id, service_code, pooled, status,
           provisioning_state, term_ends_at, state, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
         ON CONFLICT (subscription_id) DO UPDATE SET pooled = EXCLUDED.pooled, status = EXCLUDED.status,
           provisioning_state = EXCLUDED.provisioning_state, term_ends_at = EXCLUDED.term_ends_at, state = EXCLUDED.state,
           version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
        [
          id,
          after.customerId ?? e.metadata.customerId,
          after.partnerId ?? e.metadata.partnerId,
          after.subscription.serviceCode,
          after.subscription.pooled,
          after.status,
          after.provisioning.state,
          after.subscription.termEndsAt,
          JSON.stringify(after),
          e.streamVersion,
          e.metadata.occurredAt,
        ],
      );
      if (after.status === 'active') {
        await tx.query(
          `INSERT INTO subscriptions_expiry_schedule (subscription_id, due_at) VALUES ($1, $2)
           ON CONFLICT (subscription_id) DO UPDATE SET due_at = EXCLUDED.due_at`,
          [id, after.subscription.termEndsAt],
        );
        due.push(new Date(after.subscription.termEndsAt));
      } else {
        await tx.query('DELETE FROM subscriptions_expiry_schedule WHERE subscription_id = $1', [id]);
      }
    }
    if (due.length > 0) {
      const earliest = due.reduce((a, b) => (a.getTime() <= b.getTime() ? a : b));
      // Told on a later turn (after this batch's commit, usually); the scheduler's periodic look covers the rest.
      setImmediate(() => this.onDue(earliest));
    }
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE subscriptions_services, subscriptions_view_settings, subscriptions_expiry_schedule');
  }
}
