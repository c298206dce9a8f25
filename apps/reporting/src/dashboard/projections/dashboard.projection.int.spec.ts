import type { Pool } from 'pg';
import { inTransaction, migrateEventStore, PostgresEventStore, type RecordedEvent } from '@platform/event-store';
import { CustomerDirectory } from '@platform/customer-directory';
import type { IntegrationEvent } from '@platform/contracts';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { healthStreamId } from '../domain/customer-health';
import { migrateReports } from '../../reports/infrastructure/reports.schema';
import { migrateDashboard } from '../infrastructure/dashboard.schema';
import { readDashboard as readModel } from '../queries/get-dashboard/dashboard-read-model';
import { DashboardFixtures, job } from '../testing/dashboard-fixtures';
import { DashboardProjection } from './dashboard.projection';

const C1 = '0192e5f0-0000-7000-8000-00000000c001';
const C2 = '0192e5f0-0000-7000-8000-00000000c002';

function history(): RecordedEvent[] {
  const f = new DashboardFixtures();
  const finding = (status: 'open' | 'resolved', files: number) => ({
    findingId: 'f1', detectedAt: '2026-05-08T02:00:00.000Z', workspaceType: 'sharepoint-site' as const, workspace: 'https://x/sites/fin',
    activity: 'Encryption', ransomwareSuspected: true, status, suspiciousFiles: Array.from({ length: files }, (_, i) => ({ path: `f${i}.locked` })),
  });
  return [
    f.telemetry(C1, 'backup-jobs', job('2026-05-08', 'succeeded')),
    f.telemetry(C2, 'backup-jobs', job('2026-05-08', 'failed')),
    f.telemetry(C1, 'unusual-activities', finding('open', 30)),
    f.report(C1, 'r1', 'ReportGenerated', { reportName: 'Risk insights', format: 'pdf' }, '2026-05-09T09:00:00.000Z'),
    f.report(C1, 'r1', 'ReportExported', { fileName: 'risk-may.xlsx', format: 'xlsx' }, '2026-05-09T09:01:00.000Z'),
    f.telemetry(C1, 'backup-jobs', job('2026-05-09', 'partially-succeeded')),
    f.telemetry(C1, 'unusual-activities', finding('resolved', 31)),
    f.telemetry(C2, 'backup-jobs', job('2026-05-09', 'succeeded')),
    f.telemetry(C1, 'sharepoint-storage', { date: '2026-05-09', usedBytes: 100 }),
  ];
}

describe('dashboard projection (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let directory: CustomerDirectory;
  const P = '0192e5f0-0000-7000-8000-0000000000aa';

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateEventStore(pool);
    await migrateDashboard(pool);
    await migrateReports(pool); // report activity is the reports feature's read model
    store = new PostgresEventStore(pool);
    directory = new CustomerDirectory(pool, { table: 'reporting_customer_directory' });
    await directory.migrate();
  });
  const readDashboard = (customerId: string, since: Date, partnerId = P) => readModel(pool, directory, partnerId, customerId, since);
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  const project = async (projection: DashboardProjection, events: RecordedEvent[], batch: number) => {
    for (let i = 0; i < events.length; i += batch) await inTransaction(pool, (tx) => projection.handle(events.slice(i, i + batch), tx));
  };
  const snapshot = async () => ({
    dashboards: (await pool.query('SELECT * FROM reporting_dashboard ORDER BY customer_id')).rows,
    findings: (await pool.query('SELECT * FROM reporting_dashboard_findings ORDER BY customer_id, finding_id')).rows,
  });
  const healthEvents = async (customerId: string) =>
    (await store.readStream(healthStreamId(customerId))).map((e) => ({ id: e.id, data: e.data, causationId: e.metadata.causationId }));

  it('projects, replays idempotently, rebuilds with other batch sizes to the same rows and the same health events', async () => {
    const projection = new DashboardProjection(store);
    const events = history();
    await project(projection, events, 4);
    const first = await snapshot();
    const health1 = await healthEvents(C1);
    const health2 = await healthEvents(C2);
    expect(health1.map((e) => e.data)).toEqual([
      { health: 'healthy', previousHealth: 'unknown' },
      { health: 'critical', previousHealth: 'healthy' },
      { health: 'warning', previousHealth: 'critical' },
    ]);
    expect(health2.map((e) => e.data)).toEqual([
      { health: 'critical', previousHealth: 'unknown' },
      { health: 'healthy', previousHealth: 'critical' },
    ]);
    expect(first.dashboards.map((d) => [d.customer_id, d.health])).toEqual([[C1, 'warning'], [C2, 'healthy']]);
    expect(first.findings).toHaveLength(1);
    expect(first.findings[0]).toMatchObject({ status: 'resolved', file_count: 31 });

    // The same events again (a redelivered batch): nothing changes, nothing is appended.
    await project(projection, events, 100);
    expect(await snapshot()).toEqual(first);
    expect(await healthEvents(C1)).toEqual(health1);

    // A rebuild from scratch with another batch size gives the same read model and appends no second copy.
    await inTransaction(pool, (tx) => projection.reset(tx));
    expect((await snapshot()).dashboards).toEqual([]);
    await project(projection, events, 1);
    expect(await snapshot()).toEqual(first);
    expect(await healthEvents(C1)).toEqual(health1);
    expect(await healthEvents(C2)).toEqual(health2);
  });

  it('a crash before the commit takes the health events back with the read model; the replay appends each change once', async () => {
    const C3 = '0192e5f0-0000-7000-8000-00000000c003';
    const f = new DashboardFixtures();
    const events = [
      f.telemetry(C3, 'backup-jobs', job('2026-05-01', 'failed')),
      f.telemetry(C3, 'backup-jobs', job('2026-05-02', 'succeeded')),
      f.telemetry(C3, 'backup-jobs', job('2026-05-03', 'failed')),
    ];
    const projection = new DashboardProjection(store);
    const tx = await pool.connect();
    await tx.query('BEGIN');
    await projection.handle(events.slice(0, 1), tx);
    await tx.query('ROLLBACK'); // the runner crashed before its commit
    tx.release();
    // The health events are appended in the batch's transaction: they rolled back with it.
    expect(await healthEvents(C3)).toEqual([]);
    await project(projection, events, 10);
    expect((await healthEvents(C3)).map((e) => `${e.data.previousHealth}>${e.data.health}`)).toEqual(['unknown>critical', 'critical>healthy', 'healthy>critical']);
  });

  it('answers the dashboard read model in one statement: the customer, state, findings of the range, counts', async () => {
    expect((await readDashboard(C1, new Date(0))).customer).toBeUndefined(); // not in the directory yet
    const accepted = { id: '0192e5f0-0000-7000-8000-0000000000e1', type: 'InvitationAccepted', version: 1, source: '/msp-platform/customers', time: '2026-05-01T00:00:00.000Z', subject: C1, partnerId: P, correlationId: 'c', actor: { type: 'user', id: 'u' }, data: {} };
    await inTransaction(pool, (tx) => directory.handler(accepted as unknown as IntegrationEvent, tx, { consumer: 't', topic: 't', partition: 0, offset: '0', attempt: 1 }));
    const model = await readDashboard(C1, new Date('2026-05-01T00:00:00Z'));
    expect(model.customer).toMatchObject({ customerId: C1, partnerId: P, status: 'active' });
    expect((await readDashboard(C1, new Date(0), '0192e5f0-0000-7000-8000-0000000000bb')).customer).toBeUndefined(); // another partner
    expect(model.state?.health).toBe('warning');
    expect(model.reports).toEqual([]);
    await pool.query(
      `INSERT INTO reporting_report_activity (activity_id, partner_id, actor_type, actor_id, occurred_at, position, customer_id, activity,
         report_id, report_kind, report_name, format, details, recipient_count)
       VALUES ('a1', 'p', 'user', 'u', '2026-05-09T09:00:00Z', 1, $1, 'generated', 'r1', 'template', 'Risk insights', 'pdf', NULL, 1),
              ('a2', 'p', 'user', 'u', '2026-05-09T10:00:00Z', 2, $1, 'exported', 'x1', 'storage-consumption', 'storage.xlsx', 'xlsx', true, 0),
              ('a3', 'p', 'user', 'u', '2026-05-09T11:00:00Z', 3, $2, 'generated', 'r2', 'template', 'Other', 'pdf', NULL, 1)`,
      [C1, C2],
    );
    const withReports = await readDashboard(C1, new Date('2026-05-01T00:00:00Z'));
    expect(withReports.reports).toEqual([
      { activityId: 'a2', activity: 'exported', reportId: 'x1', reportKind: 'storage-consumption', reportName: 'storage.xlsx', format: 'xlsx', occurredAt: '2026-05-09T10:00:00.000Z' },
      { activityId: 'a1', activity: 'generated', reportId: 'r1', reportKind: 'template', reportName: 'Risk insights', format: 'pdf', occurredAt: '2026-05-09T09:00:00.000Z' },
    ]);
    expect(model.findings).toHaveLength(1);
    expect(model.findings[0].suspiciousFiles).toHaveLength(20);
    expect(model.findings[0].suspiciousFileCount).toBe(31);
    expect(model.findingCounts).toEqual({ workspaces: 1, oneDrives: 0, sharePointSites: 1, ransomwareSuspected: 1, suspiciousFiles: 31 });
    const later = await readDashboard(C1, new Date('2026-05-09T00:00:00Z'));
    expect(later.findings).toEqual([]);
    expect(later.findingCounts.workspaces).toBe(0);
    const none = await readDashboard('0192e5f0-0000-7000-8000-00000000ffff', new Date(0));
    expect(none).toEqual({
      customer: undefined,
      state: undefined, subscriptions: [], serviceStates: {}, findings: [], reports: [],
      findingCounts: { workspaces: 0, oneDrives: 0, sharePointSites: 0, ransomwareSuspected: 0, suspiciousFiles: 0 },
    });
  });
});
