import type { Migration } from '@platform/event-store';

export const IDEMPOTENCY_MIGRATIONS: Migration[] = [
  {
    id: '001_idempotency_keys',
    sql: `
      CREATE TABLE idempotency_keys (
        -- Anonymous (public route) keys use partner '' and the route as user.
        partner_id text NOT NULL,
        user_id text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        -- Which execution holds the key: an abandoned claim taken over must not be completed by its first owner.
        claim_id text NOT NULL,
        state text NOT NULL CHECK (state IN ('in-flight', 'completed')),
        response_status integer,
        response_headers jsonb,
        response_body bytea,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (partner_id, user_id, key)
      );
      CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
    `,
  },
];
