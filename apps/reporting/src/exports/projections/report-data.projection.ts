import type { Pool, PoolClient } from 'pg';
import type { CustomerDirectory } from '@platform/customer-directory';
import { migrate, type Projection, type RecordedEvent } from '@platform/event-store';
import { TELEMETRY_CATEGORY, type BackupJobReported, type StorageUsageReported } from '../../telemetry/domain/telemetry.events';

export const JOB_RUNS_TABLE = 'reporting_report_job_runs';
export const STORAGE_SAMPLES_TABLE = 'reporting_report_storage_samples';

export function migrateReportData(pool: Pool): Promise<string[]> {
  return migrate(pool, 'reporting-report-data', [
    {
      id: '001_job_runs_storage_samples',
      sql: `
        CREATE TABLE ${JOB_RUNS_TABLE} (
          customer_id text NOT NULL,
          job_id text NOT NULL,
          partner_id text NOT NULL,
          product text NOT NULL,
          workload text NOT NULL,
          started_at timestamptz NOT NULL,
          ended_at timestamptz NOT NULL,
          status text NOT NULL,
          items bigint NOT NULL,
          bytes bigint NOT NULL,
          PRIMARY KEY (customer_id, job_id)
        );
        CREATE INDEX reporting_report_job_runs_customer ON ${JOB_RUNS_TABLE} (customer_id, ended_at DESC, job_id DESC);
        CREATE INDEX reporting_report_job_runs_partner ON ${JOB_RUNS_TABLE} (partner_id, ended_at DESC, customer_id DESC, job_id DESC);
        CREATE TABLE ${STORAGE_SAMPLES_TABLE} (
          customer_id text NOT NULL,
          product text NOT NULL,
          sampled_at timestamptz NOT NULL,
          partner_id text NOT NULL,
          used_bytes bigint NOT NULL,
          quota_bytes bigint,
          PRIMARY KEY (customer_id, product, sampled_at)
        );
        CREATE INDEX reporting_report_storage_samples_partner ON ${STORAGE_SAMPLES_TABLE} (partner_id, customer_id);
      `,
    },
  ]);
}

const customerOf = (e: RecordedEvent): string => (e.metadata.customerId ?? e.streamId.slice(TELEMETRY_CATEGORY.length + 1)).toLowerCase();

/**
 * What the storage consumption and job status reports (F16, F17) read, from the telemetry
 * streams: one row per backup job (a job reported again replaces its row) and one per storage
 * sample. Multi-row inserts per batch; replays rewrite the same rows. Telemetry of customers
 * already disconnected (F6: their rows were erased) is not written back.
 */
export class ReportDataProjection implements Projection {
  readonly name = 'reporting.report-data';
  readonly filter = { categories: [TELEMETRY_CATEGORY], eventTypes: ['BackupJobReported', 'StorageUsageReported'] };
  readonly batchSize = 1000;

  constructor(private readonly directory?: Pick<CustomerDirectory, 'listForPartner'>) {}

  private async disconnected(events: RecordedEvent[], tx: PoolClient): Promise<Set<string>> {
    const gone = new Set<string>();
    if (!this.directory) return gone;
    const byPartner = new Map<string, Set<string>>();
    for (const e of events) byPartner.set(e.metadata.partnerId, (byPartner.get(e.metadata.partnerId) ?? new Set()).add(customerOf(e)));
    for (const [partnerId, ids] of byPartner) {
      const known = await this.directory.listForPartner(partnerId, { customerIds: [...ids], includeDisconnected: true }, tx);
      for (const c of known) if (c.status === 'disconnected') gone.add(c.customerId.toLowerCase());
    }
    return gone;
  }

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const jobs = new Map<string, unknown[]>();
    const samples = new Map<string, unknown[]>();
    const gone = await this.disconnected(events, tx);
    for (const e of events) {
      const customerId = customerOf(e);
      if (gone.has(customerId)) continue;
      if (e.type === 'BackupJobReported') {
        const d = (e as unknown as BackupJobReported).data;
        jobs.set(`${customerId}\u0000${d.jobId}`, [customerId, d.jobId, e.metadata.partnerId, d.product, d.workload, d.startedAt, d.endedAt, d.status, d.items, d.bytes]);
      } else if (e.type === 'StorageUsageReported') {
        const d = (e as unknown as StorageUsageReported).data;
        const at = new Date(d.sampledAt).toISOString();
        samples.set(`${customerId}\u0000${d.product}\u0000${at}`, [customerId, d.product, at, e.metadata.partnerId, d.usedBytes, d.quotaBytes ?? null]);
      }
    }
    await upsert(
      tx,
      `INSERT INTO ${JOB_RUNS_TABLE} (customer_id, job_id, partner_id, product, workload, started_at, ended_at, status, items, bytes)`,
      `ON CONFLICT (customer_id, job_id) DO UPDATE SET product = EXCLUDED.product, workload = EXCLUDED.workload,
         started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, status = EXCLUDED.status, items = EXCLUDED.items, bytes = EXCLUDED.bytes`,
      [...jobs.values()],
    );
    await upsert(
      tx,
      `INSERT INTO ${STORAGE_SAMPLES_TABLE} (customer_id, product, sampled_at, partner_id, used_bytes, quota_bytes)`,
      `ON CONFLICT (customer_id, product, sampled_at) DO UPDATE SET used_bytes = EXCLUDED.used_bytes, quota_bytes = EXCLUDED.quota_bytes`,
      [...samples.values()],
    );
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`TRUNCATE ${JOB_RUNS_TABLE}, ${STORAGE_SAMPLES_TABLE}`);
  }
}

async function upsert(tx: PoolClient, insert: string, conflict: string, rows: unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    const width = chunk[0].length;
    const values = chunk.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    await tx.query(`${insert} VALUES ${values} ${conflict}`, chunk.flat());
  }
}
