import type { Pool, PoolClient } from 'pg';
import { migrate, type Projection, type RecordedEvent } from '@platform/event-store';
import { SERVICE_BATCH_STREAM_CATEGORY } from '../domain/service-batch.events';

export const SERVICE_BATCH_RUNS_PROJECTION = 'subscriptions.service-batch-runs';
export const SERVICE_BATCH_RUNS_TABLE = 'subscriptions_service_batch_runs';

/**
 * The process manager's to-do list (F13): one row per batch, `open` while an attempt runs,
 * with the lease of the runner working on it. Runners pick open batches whose lease is free or
 * expired, so a batch interrupted by a crash or a stop is resumed by the next runner.
 */
export function migrateServiceBatchRuns(pool: Pool): Promise<string[]> {
  return migrate(pool, SERVICE_BATCH_RUNS_PROJECTION, [
    {
      id: '001_service_batch_runs',
      sql: `CREATE TABLE ${SERVICE_BATCH_RUNS_TABLE} (
        batch_id text PRIMARY KEY,
        partner_id text NOT NULL,
        open boolean NOT NULL,
        lease_owner text,
        lease_expires_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ${SERVICE_BATCH_RUNS_TABLE}_open ON ${SERVICE_BATCH_RUNS_TABLE} (batch_id) WHERE open;`,
    },
  ]);
}

const batchIdOf = (e: RecordedEvent): string => e.streamId.slice(e.streamId.indexOf('-') + 1);

/** Opens a batch's row when an attempt starts (the batch, or a retry) and closes it when it completes. */
export class ServiceBatchRunsProjection implements Projection {
  readonly name = SERVICE_BATCH_RUNS_PROJECTION;
  readonly filter = {
    categories: [SERVICE_BATCH_STREAM_CATEGORY],
    eventTypes: ['ServiceBatchStarted', 'ServiceBatchRetryStarted', 'ServiceBatchCompleted'],
  };

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const e of events) {
      const open = e.type !== 'ServiceBatchCompleted';
      await tx.query(
        `INSERT INTO ${SERVICE_BATCH_RUNS_TABLE} (batch_id, partner_id, open) VALUES ($1, $2, $3)
         ON CONFLICT (batch_id) DO UPDATE SET open = EXCLUDED.open, partner_id = EXCLUDED.partner_id, updated_at = now()`,
        [batchIdOf(e), e.metadata.partnerId, open],
      );
    }
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`UPDATE ${SERVICE_BATCH_RUNS_TABLE} SET open = false`);
  }
}
