import type { Pool } from 'pg';
import { uuidv7 } from '@platform/core';
import { CustomerDirectory } from '@platform/customer-directory';
import type { RecordedEvent } from '@platform/event-store';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { JOB_RUNS_TABLE, migrateReportData, ReportDataProjection, STORAGE_SAMPLES_TABLE } from './report-data.projection';

describe('ReportDataProjection', () => {
  let db: TestDatabase;
  let pool: Pool;
  let directory: CustomerDirectory;
  const partnerId = uuidv7();
  const active = uuidv7();
  const gone = uuidv7();
  let position = 0n;

  const event = (customerId: string, type: string, data: Record<string, unknown>): RecordedEvent => ({
    id: uuidv7(),
    type,
    schemaVersion: 1,
    data,
    metadata: { partnerId, customerId, occurredAt: '2026-05-01T00:00:00.000Z', correlationId: uuidv7(), actor: { type: 'service', id: 'api-key:k' } },
    streamId: `telemetry-${customerId}`,
    streamVersion: 1,
    globalPosition: ++position,
    recordedAt: new Date(),
  });
  const job = (customerId: string, jobId: string, status: string) =>
    event(customerId, 'BackupJobReported', {
      jobId,
      product: 'cloud-backup-m365',
      workload: 'exchange',
      startedAt: '2026-05-01T01:00:00.000Z',
      endedAt: '2026-05-01T01:30:00.000Z',
      status,
      items: 10,
      bytes: 2048,
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool({ max: 3 });
    await migrateReportData(pool);
    directory = new CustomerDirectory(pool, { table: 'reporting_customer_directory' });
    await directory.migrate();
    await pool.query(
      `INSERT INTO reporting_customer_directory (customer_id, partner_id, status, invited_at, updated_at)
       VALUES ($1, $3, 'active', now(), now()), ($2, $3, 'disconnected', now(), now())`,
      [active, gone, partnerId],
    );
  }, 60_000);

  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  async function project(events: RecordedEvent[]): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await new ReportDataProjection(directory).handle(events, client);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }

  it('one row per job (the last report of a job wins) and per sample; replays and disconnected customers add nothing', async () => {
    const batch = [
      job(active, 'j1', 'failed'),
      job(active, 'j1', 'succeeded'),
      job(active, 'j2', 'canceled'),
      job(gone, 'j9', 'succeeded'),
      event(active, 'StorageUsageReported', { product: 'cloud-backup-m365', sampledAt: '2026-05-01T00:00:00Z', usedBytes: 100, quotaBytes: 1000 }),
      event(active, 'StorageUsageReported', { product: 'cloud-backup-m365', sampledAt: '2026-05-01T00:00:00.000Z', usedBytes: 150 }),
    ];
    await project(batch);
    await project(batch);
    const jobs = await pool.query(`SELECT customer_id, job_id, status FROM ${JOB_RUNS_TABLE} ORDER BY job_id`);
    expect(jobs.rows).toEqual([
      { customer_id: active, job_id: 'j1', status: 'succeeded' },
      { customer_id: active, job_id: 'j2', status: 'canceled' },
    ]);
    const samples = await pool.query(`SELECT customer_id, used_bytes, quota_bytes FROM ${STORAGE_SAMPLES_TABLE}`);
    expect(samples.rows).toEqual([{ customer_id: active, used_bytes: '150', quota_bytes: null }]);
  });
});
