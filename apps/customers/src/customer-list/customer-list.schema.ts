import type { Pool } from 'pg';
import { migrate, type Migration } from '@platform/event-store';

/**
 * Tables of the customer-list projection (F9, F4 pins, column preferences).
 *
 * `customer_list` holds one row per live customer; text keys use the "C" collation so that
 * index order, ORDER BY and the keyset comparisons of cursors agree byte for byte. Sort keys:
 * `name_key` (normalised name), `health_rank` (0 = critical … 3 = unknown), `created_at`, each
 * indexed after `partner_id` and before `customer_id` (the tie-breaker). Filters: GIN on the
 * array columns, B-tree on status/country, a trigram GIN on `search_text` when pg_trgm exists
 * (embedded PGlite loads it too; without it the search scans the partner's rows, still correct).
 *
 * Side tables keep what other streams say about a customer (subscriptions, started services,
 * health) so the derived columns can be recomputed idempotently and survive a rebuild in any
 * event order.
 */
export const customerListMigrations: Migration[] = [
  {
    id: '001_customer_list',
    sql: `
      CREATE TABLE customer_list (
        customer_id text COLLATE "C" PRIMARY KEY,
        partner_id text COLLATE "C" NOT NULL,
        organization_name text NOT NULL,
        name_key text COLLATE "C" NOT NULL,
        primary_domain text NOT NULL,
        search_text text COLLATE "C" NOT NULL,
        status text NOT NULL,
        country_code text NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        services text[] NOT NULL DEFAULT '{}',
        products text[] NOT NULL DEFAULT '{}',
        open_tickets integer NOT NULL DEFAULT 0,
        health text,
        health_rank smallint NOT NULL DEFAULT 3,
        management_mode text NOT NULL,
        registered_account text,
        has_logo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        stream_version integer NOT NULL,
        last_position bigint NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX customer_list_by_name ON customer_list (partner_id, name_key, customer_id);
      CREATE INDEX customer_list_by_health ON customer_list (partner_id, health_rank, name_key, customer_id);
      CREATE INDEX customer_list_by_created ON customer_list (partner_id, created_at, customer_id);
      CREATE INDEX customer_list_by_status ON customer_list (partner_id, status);
      CREATE INDEX customer_list_by_country ON customer_list (partner_id, country_code);
      CREATE INDEX customer_list_with_open_tickets ON customer_list (partner_id) WHERE open_tickets > 0;
      CREATE INDEX customer_list_tags ON customer_list USING gin (tags);
      CREATE INDEX customer_list_services ON customer_list USING gin (services);
      CREATE INDEX customer_list_products ON customer_list USING gin (products);

      CREATE TABLE customer_list_subscriptions (
        subscription_id text PRIMARY KEY,
        customer_id text COLLATE "C" NOT NULL,
        service_code text NOT NULL,
        expired boolean NOT NULL,
        last_position bigint NOT NULL
      );
      CREATE INDEX customer_list_subscriptions_customer ON customer_list_subscriptions (customer_id);

      CREATE TABLE customer_list_started_services (
        customer_id text COLLATE "C" NOT NULL,
        service_code text NOT NULL,
        PRIMARY KEY (customer_id, service_code)
      );

      CREATE TABLE customer_list_health (
        customer_id text COLLATE "C" PRIMARY KEY,
        health text NOT NULL,
        last_position bigint NOT NULL
      );

      CREATE TABLE customer_list_pins (
        partner_id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL,
        customer_id text COLLATE "C" NOT NULL,
        pinned_at timestamptz NOT NULL,
        PRIMARY KEY (partner_id, user_id, customer_id)
      );
      CREATE INDEX customer_list_pins_customer ON customer_list_pins (customer_id);

      CREATE TABLE customer_list_preferences (
        partner_id text COLLATE "C" NOT NULL,
        user_id text COLLATE "C" NOT NULL,
        columns text[] NOT NULL,
        saved_at timestamptz NOT NULL,
        PRIMARY KEY (partner_id, user_id)
      );
    `,
  },
  {
    // Trigram search only where the extension can be had (real PostgreSQL); PGlite and servers
    // without contrib keep working with a scan.
    id: '002_customer_list_trigram_search',
    sql: `
      DO $$
      BEGIN
        BEGIN
          CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXCEPTION WHEN OTHERS THEN
          RAISE NOTICE 'pg_trgm is not available: customer search scans instead of using a trigram index';
        END;
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
          EXECUTE 'CREATE INDEX IF NOT EXISTS customer_list_search ON customer_list USING gin (search_text gin_trgm_ops)';
        END IF;
      END $$;
    `,
  },
];

export function migrateCustomerList(pool: Pool): Promise<string[]> {
  return migrate(pool, 'customer-list', customerListMigrations);
}

/** Everything the projection wrote (rebuild). */
export const CUSTOMER_LIST_TABLES = [
  'customer_list',
  'customer_list_subscriptions',
  'customer_list_started_services',
  'customer_list_health',
  'customer_list_pins',
  'customer_list_preferences',
];
