import type { Pool } from 'pg';
import { migrate, type Migration } from '@platform/event-store';

/** Read model of the API keys (listing only; authentication reads the key's own stream). */
export const apiKeysMigrations: Migration[] = [
  {
    id: '001_api_keys',
    sql: `
      CREATE TABLE reporting_api_keys (
        key_id text PRIMARY KEY,
        partner_id text NOT NULL,
        name text NOT NULL,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX reporting_api_keys_by_partner ON reporting_api_keys (partner_id, created_at);`,
  },
];

export async function migrateApiKeys(pool: Pool): Promise<void> {
  await migrate(pool, 'reporting-api-keys', apiKeysMigrations);
}
