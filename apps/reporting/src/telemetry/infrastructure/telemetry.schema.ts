import type { Pool } from 'pg';
import { migrate, type Migration } from '@platform/event-store';

/**
 * `reporting_telemetry_batches`: the answer given to each (partner, kind, batch id), so a
 * retried batch gets the first answer back without touching the log again. The log itself is
 * the safety net: event ids derive from the batch id and record index, so even a retry that
 * races the first attempt appends nothing twice.
 */
export const telemetryMigrations: Migration[] = [
  {
    id: '001_telemetry_batches',
    sql: `
      CREATE TABLE reporting_telemetry_batches (
        partner_id text NOT NULL,
        kind text NOT NULL,
        batch_id uuid NOT NULL,
        answer jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner_id, kind, batch_id)
      );`,
  },
];

export async function migrateTelemetry(pool: Pool): Promise<void> {
  await migrate(pool, 'reporting-telemetry', telemetryMigrations);
}
