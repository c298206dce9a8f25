import type { PoolClient } from 'pg';
import { streamCategory, type Projection, type RecordedEvent } from '@platform/event-store';
import {
  applyCustomerEvent,
  customerIdOf,
  healthRank,
  HEALTH_VALUES,
  nameKey,
  searchText,
  type CustomerListRow,
} from './customer-list-row';
import { CUSTOMER_FEED_CATEGORY } from './customer-feed.stream';
import { CUSTOMER_LIST_TABLES } from './customer-list.schema';
import { rowColumns, rowFromDb, type CustomerListDbRow } from './customer-list.rows-sql';

export const CUSTOMER_LIST_PROJECTION = 'customers.customer-list';

/**
 * Subscription events (subscriptions service) share the log in a single-database deployment;
 * their shapes are the integration contracts (libs/contracts/src/subscriptions.contracts.ts).
 */
interface SubscriptionData {
  subscriptionId: string;
  serviceCode: string;
}

/**
 * The customer list read model (F9) with pins (F4) and column preferences, fed from the log:
 * `customer-*` streams (the customers), `partneruser-*` (pins, preferences) and
 * `customerfeed-*` (services, products and health: the subscriptions and reporting services'
 * integration events, copied into this log by CustomerFeedConsumer). A batch is folded in memory per customer (one read,
 * one upsert per batch), so catching up 100k customers takes seconds, not minutes.
 */
export class CustomerListProjection implements Projection {
  readonly name = CUSTOMER_LIST_PROJECTION;
  readonly filter = { categories: ['customer', 'partneruser', CUSTOMER_FEED_CATEGORY] };
  readonly batchSize = 1000;

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const refresh = new Set<string>();
    const created = new Set<string>();
    // Log order matters across streams (a pin, then the customer's disconnect): consecutive
    // customer events are folded together, everything else is applied in between, in order.
    let run: RecordedEvent[] = [];
    for (const e of events) {
      if (streamCategory(e.streamId) === 'customer') {
        run.push(e);
        continue;
      }
      if (run.length > 0) await this.applyCustomerEvents(run, tx, created);
      run = [];
      await this.applyOther(e, tx, refresh);
    }
    if (run.length > 0) await this.applyCustomerEvents(run, tx, created);
    if (refresh.size > 0) await refreshDerivedColumns(tx, [...refresh], false);
    // A new row picks up what other streams said before its invitation reached the list (rare).
    for (const id of refresh) created.delete(id);
    if (created.size > 0) await refreshDerivedColumns(tx, [...created], true);
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`TRUNCATE ${CUSTOMER_LIST_TABLES.join(', ')}`);
  }

  private async applyCustomerEvents(events: RecordedEvent[], tx: PoolClient, created: Set<string>): Promise<void> {
    const ids = [...new Set(events.map(customerIdOf))];
    const { rows } = await tx.query<CustomerListDbRow>(
      `SELECT ${rowColumns()} FROM customer_list WHERE customer_id = ANY($1::text[])`,
      [ids],
    );
    const current = new Map<string, CustomerListRow | undefined>(rows.map((r) => [r.customer_id, rowFromDb(r)]));
    const existedBefore = new Set(current.keys());
    const loaded = new Map(current);
    for (const e of events) {
      const id = customerIdOf(e);
      current.set(id, applyCustomerEvent(current.get(id), e));
    }

    // Rows the batch did not change (replayed events) are not rewritten.
    const upserts = [...current.entries()]
      .filter(([id, r]) => r !== undefined && r !== loaded.get(id))
      .map(([, r]) => r as CustomerListRow);
    if (upserts.length > 0) await upsertRows(tx, upserts);
    for (const r of upserts) if (!existedBefore.has(r.customerId)) created.add(r.customerId);

    const gone = [...current.entries()].filter(([, r]) => r === undefined).map(([id]) => id);
    if (gone.length > 0) {
      // F6: the customer leaves every read model; its pins and what other streams said go too.
      await tx.query('DELETE FROM customer_list WHERE customer_id = ANY($1::text[])', [gone]);
      await tx.query('DELETE FROM customer_list_pins WHERE customer_id = ANY($1::text[])', [gone]);
      await tx.query('DELETE FROM customer_list_subscriptions WHERE customer_id = ANY($1::text[])', [gone]);
      await tx.query('DELETE FROM customer_list_started_services WHERE customer_id = ANY($1::text[])', [gone]);
      await tx.query('DELETE FROM customer_list_health WHERE customer_id = ANY($1::text[])', [gone]);
    }
  }

  private async applyOther(e: RecordedEvent, tx: PoolClient, refresh: Set<string>): Promise<void> {
    const position = e.globalPosition.toString();
    const customerId = e.metadata.customerId;
    switch (e.type) {
      case 'CustomerPinned':
      case 'CustomerUnpinned': {
        const userId = e.streamId.slice(e.streamId.indexOf('-') + 1);
        const pinned = (e.data as { customerId: string }).customerId;
        if (e.type === 'CustomerPinned') {
          await tx.query(
            `INSERT INTO customer_list_pins (partner_id, user_id, customer_id, pinned_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING`,
            [e.metadata.partnerId, userId, pinned, e.metadata.occurredAt],
          );
        } else {
          await tx.query('DELETE FROM customer_list_pins WHERE partner_id = $1 AND user_id = $2 AND customer_id = $3', [
            e.metadata.partnerId,
            userId,
            pinned,
          ]);
        }
        return;
      }
      case 'ColumnPreferencesSaved': {
        const userId = e.streamId.slice(e.streamId.indexOf('-') + 1);
        await tx.query(
          `INSERT INTO customer_list_preferences (partner_id, user_id, columns, saved_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (partner_id, user_id) DO UPDATE SET columns = EXCLUDED.columns, saved_at = EXCLUDED.saved_at`,
          [e.metadata.partnerId, userId, (e.data as { columns: string[] }).columns, e.metadata.occurredAt],
        );
        return;
      }
      case 'ServicesAdded':
        if (!customerId) return;
        for (const s of (e.data as { subscriptions: SubscriptionData[] }).subscriptions) {
          await upsertSubscription(tx, customerId, s, false, position);
        }
        refresh.add(customerId);
        return;
      case 'SubscriptionChanged':
        if (!customerId) return;
        await upsertSubscription(tx, customerId, e.data as unknown as SubscriptionData, false, position);
        refresh.add(customerId);
        return;
      case 'SubscriptionExpired':
        if (!customerId) return;
        await upsertSubscription(tx, customerId, e.data as unknown as SubscriptionData, true, position);
        refresh.add(customerId);
        return;
      case 'ServicesStarted':
        if (!customerId) return;
        for (const s of (e.data as { services: Array<{ serviceCode: string }> }).services) {
          await tx.query(
            'INSERT INTO customer_list_started_services (customer_id, service_code) VALUES ($1, $2) ON CONFLICT DO NOTHING',
            [customerId, s.serviceCode],
          );
        }
        refresh.add(customerId);
        return;
      case 'CustomerHealthChanged': {
        const health = (e.data as { health: string }).health;
        if (!customerId || !(HEALTH_VALUES as readonly string[]).includes(health)) return;
        await tx.query(
          `INSERT INTO customer_list_health (customer_id, health, last_position) VALUES ($1, $2, $3)
           ON CONFLICT (customer_id) DO UPDATE SET health = EXCLUDED.health, last_position = EXCLUDED.last_position
           WHERE customer_list_health.last_position < EXCLUDED.last_position`,
          [customerId, health, position],
        );
        refresh.add(customerId);
        return;
      }
      default:
        return; // access sessions and other partner-user events do not show in the list
    }
  }
}

async function upsertSubscription(
  tx: PoolClient,
  customerId: string,
  s: SubscriptionData,
  expired: boolean,
  position: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO customer_list_subscriptions (subscription_id, customer_id, service_code, expired, last_position)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (subscription_id) DO UPDATE SET service_code = EXCLUDED.service_code, expired = EXCLUDED.expired,
       last_position = EXCLUDED.last_position
     WHERE customer_list_subscriptions.last_position < EXCLUDED.last_position`,
    [s.subscriptionId, customerId, s.serviceCode, expired, position],
  );
}

/**
 * Services, products and health of the given customers, recomputed from the side tables;
 * `onlyWithSideData` skips rows nothing is known about (new customers, in bulk), so they are
 * not rewritten for nothing.
 */
async function refreshDerivedColumns(tx: PoolClient, customerIds: string[], onlyWithSideData: boolean): Promise<void> {
  const guard = onlyWithSideData
    ? `AND (EXISTS (SELECT 1 FROM customer_list_subscriptions s WHERE s.customer_id = ids.id)
         OR EXISTS (SELECT 1 FROM customer_list_started_services s WHERE s.customer_id = ids.id)
         OR h.customer_id IS NOT NULL)`
    : '';
  const ranks = HEALTH_VALUES.map((h) => `WHEN '${h}' THEN ${healthRank(h)}`).join(' ');
  await tx.query(
    `UPDATE customer_list c SET
       products = COALESCE((SELECT array_agg(DISTINCT s.service_code ORDER BY s.service_code)
                              FROM customer_list_subscriptions s WHERE s.customer_id = c.customer_id AND NOT s.expired), '{}'),
       services = COALESCE((SELECT array_agg(s.service_code ORDER BY s.service_code)
                              FROM customer_list_started_services s WHERE s.customer_id = c.customer_id), '{}'),
       health = h.health,
       health_rank = CASE COALESCE(h.health, 'unknown') ${ranks} END
     FROM (SELECT id FROM unnest($1::text[]) AS id) ids
     LEFT JOIN customer_list_health h ON h.customer_id = ids.id
     WHERE c.customer_id = ids.id ${guard}`,
    [customerIds],
  );
}

/** One statement for the whole batch: rows travel as a JSON array. */
async function upsertRows(tx: PoolClient, rows: CustomerListRow[]): Promise<void> {
  const json = rows.map((r) => ({
    customer_id: r.customerId,
    partner_id: r.partnerId,
    organization_name: r.organizationName,
    name_key: nameKey(r.organizationName),
    primary_domain: r.primaryDomain,
    search_text: searchText(r),
    status: r.status,
    country_code: r.countryCode,
    tags: r.tags,
    open_tickets: r.openTickets,
    management_mode: r.managementMode,
    registered_account: r.registeredAccount,
    has_logo: r.hasLogo,
    created_at: r.createdAt,
    stream_version: r.streamVersion,
    last_position: r.lastPosition.toString(),
    details: r.details,
  }));
  await tx.query(
    `INSERT INTO customer_list (customer_id, partner_id, organization_name, name_key, primary_domain, search_text, status,
       country_code, tags, open_tickets, management_mode, registered_account, has_logo, created_at, stream_version,
       last_position, details)
     SELECT customer_id, partner_id, organization_name, name_key, primary_domain, search_text, status,
       country_code, tags, open_tickets, management_mode, registered_account, has_logo, created_at, stream_version,
       last_position, details
     FROM jsonb_to_recordset($1::jsonb) AS x(customer_id text, partner_id text, organization_name text, name_key text,
       primary_domain text, search_text text, status text, country_code text, tags text[], open_tickets integer,
       management_mode text, registered_account text, has_logo boolean, created_at timestamptz, stream_version integer,
       last_position bigint, details jsonb)
     ON CONFLICT (customer_id) DO UPDATE SET
       organization_name = EXCLUDED.organization_name, name_key = EXCLUDED.name_key,
       primary_domain = EXCLUDED.primary_domain, search_text = EXCLUDED.search_text, status = EXCLUDED.status,
       country_code = EXCLUDED.country_code, tags = EXCLUDED.tags, open_tickets = EXCLUDED.open_tickets,
       management_mode = EXCLUDED.management_mode, registered_account = EXCLUDED.registered_account,
       has_logo = EXCLUDED.has_logo, stream_version = EXCLUDED.stream_version,
       last_position = EXCLUDED.last_position, details = EXCLUDED.details`,
    [JSON.stringify(json)],
  );
}
