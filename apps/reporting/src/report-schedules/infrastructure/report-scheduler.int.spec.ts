import type { Pool } from 'pg';
import { FakeClock, uuidv7 } from '@platform/core';
import { CustomerDirectory } from '@platform/customer-directory';
import { migrateEventStore, PostgresEventStore, type RecordedEvent } from '@platform/event-store';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { migrateReportData } from '../../exports/projections/report-data.projection';
import { ReportDocuments } from '../../exports/queries/report-documents';
import { ReportLinkSigner } from '../../reports/infrastructure/report-link-signer';
import { migrateReports } from '../../reports/infrastructure/reports.schema';
import type { ReportScheduleCreated } from '../domain/report-schedule.events';
import { migrateReportSchedules, REPORT_SCHEDULES_TABLE, ReportSchedulesProjection } from '../projections/report-schedules.projection';
import { ReportScheduler, type SchedulerTimers } from './report-scheduler';

describe('ReportScheduler (F17): once per period across instances, restarts and DST', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let documents: ReportDocuments;
  const signer = new ReportLinkSigner('scheduler-test-secret-0123456789abcdef', 'http://localhost:3000');
  const partnerId = uuidv7();

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool({ max: 6 });
    await migrateEventStore(pool);
    await migrateReports(pool);
    await migrateReportData(pool);
    await migrateReportSchedules(pool);
    const directory = new CustomerDirectory(pool, { table: 'reporting_customer_directory' });
    await directory.migrate();
    store = new PostgresEventStore(pool);
    documents = new ReportDocuments(pool, directory);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await db?.close();
  });

  async function createSchedule(createdAt: string, recurrence: ReportScheduleCreated['data']['recurrence']): Promise<string> {
    const scheduleId = uuidv7();
    const event = {
      id: uuidv7(),
      type: 'ReportScheduleCreated',
      schemaVersion: 1,
      data: {
        scheduleId,
        name: 'Daily jobs',
        reportKind: 'job-status',
        format: 'csv',
        details: true,
        product: null,
        fileName: null,
        recipients: ['ops@partner.example.com'],
        recurrence,
      },
      metadata: { partnerId, occurredAt: createdAt, correlationId: uuidv7(), actor: { type: 'user', id: 'u1' } },
      streamId: `reportschedule-${scheduleId}`,
      streamVersion: 1,
      globalPosition: 1n,
      recordedAt: new Date(createdAt),
    } as RecordedEvent;
    const client = await pool.connect();
    try {
      await new ReportSchedulesProjection().handle([event, event], client); // a replay changes nothing
    } finally {
      client.release();
    }
    return scheduleId;
  }

  const scheduler = (clock: FakeClock, instanceId: string, extra: Partial<ConstructorParameters<typeof ReportScheduler>[0]> = {}) =>
    new ReportScheduler({ pool, store, clock, documents, signer, instanceId, ...extra });

  const exportsOf = async (scheduleId: string) => {
    const { events } = await store.readAll({ filter: { eventTypes: ['ScheduledReportExported'] } });
    return events.filter((e) => (e.data as { scheduleId: string }).scheduleId === scheduleId);
  };

  const row = async (scheduleId: string) =>
    (await pool.query<{ next_fire_at: Date; last_period: string | null }>(`SELECT * FROM ${REPORT_SCHEDULES_TABLE} WHERE schedule_id = $1`, [scheduleId])).rows[0];

  it('two instances racing fire a period once; a restarted instance does not fire it again; DST moves the UTC time', async () => {
    const clock = new FakeClock(new Date('2026-03-27T12:00:00.000Z'));
    const id = await createSchedule('2026-03-27T12:00:00.000Z', { frequency: 'daily', time: '08:00', timeZone: 'Europe/Rome' });
    expect((await row(id)).next_fire_at.toISOString()).toBe('2026-03-28T07:00:00.000Z'); // 08:00 CET

    const a = scheduler(clock, 'instance-a');
    const b = scheduler(clock, 'instance-b');
    expect(await a.runDue()).toEqual([]);

    clock.set(new Date('2026-03-28T07:00:00.000Z'));
    const fired = (await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()])).flat().filter((f) => f.scheduleId === id);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ period: '2026-03-28', appended: true });
    const events = await exportsOf(id);
    expect(events).toHaveLength(1);
    expect(events[0].metadata).toMatchObject({ partnerId, customerId: partnerId, occurredAt: '2026-03-28T07:00:00.000Z', actor: { type: 'system' } });
    expect(events[0].data).toMatchObject({ scheduleId: id, reportKind: 'job-status', format: 'csv', period: '2026-03-28', recipients: [{ email: 'ops@partner.example.com' }] });
    const file = await pool.query<{ file_name: string }>('SELECT file_name FROM reporting_report_files WHERE report_id = $1', [fired[0].reportId]);
    expect(file.rows[0].file_name).toBe('Daily jobs 2026-03-28.csv');
    // Spring forward: 08:00 CEST is 06:00 UTC.
    expect((await row(id)).next_fire_at.toISOString()).toBe('2026-03-29T06:00:00.000Z');

    clock.set(new Date('2026-03-28T09:00:00.000Z'));
    const restarted = scheduler(clock, 'instance-c');
    expect(await restarted.runDue()).toEqual([]);

    clock.set(new Date('2026-03-29T06:00:00.000Z'));
    expect((await restarted.runDue()).map((f) => f.period)).toEqual(['2026-03-29']);
    expect((await exportsOf(id)).map((e) => (e.data as { period: string }).period)).toEqual(['2026-03-28', '2026-03-29']);

    // Files live as long as their links (7 days) and a day more.
    const files = () => pool.query('SELECT 1 FROM reporting_report_files WHERE report_id = $1', [fired[0].reportId]).then((r) => r.rowCount);
    clock.set(new Date('2026-04-05T07:00:00.000Z'));
    await restarted.purgeExpiredFiles();
    expect(await files()).toBe(1);
    clock.set(new Date('2026-04-05T07:00:00.001Z'));
    await restarted.purgeExpiredFiles();
    expect(await files()).toBe(0);
  });

  it('a crash after the announcement and before moving on does not announce the period twice', async () => {
    const clock = new FakeClock(new Date('2026-06-01T00:00:00.000Z'));
    const id = await createSchedule('2026-06-01T00:00:00.000Z', { frequency: 'weekly', dayOfWeek: 1, time: '09:30', timeZone: 'Europe/Rome' });
    const due = (await row(id)).next_fire_at;
    expect(due.toISOString()).toBe('2026-06-01T07:30:00.000Z');
    clock.set(due);
    expect((await scheduler(clock, 'a').runDue()).filter((f) => f.scheduleId === id).map((f) => f.appended)).toEqual([true]);
    // As if the process died before its last UPDATE: the row is due again for the same period.
    await pool.query(`UPDATE ${REPORT_SCHEDULES_TABLE} SET next_fire_at = $2 WHERE schedule_id = $1`, [id, due]);
    clock.advance(60_000);
    const again = (await scheduler(clock, 'after-restart').runDue()).filter((f) => f.scheduleId === id);
    expect(again).toEqual([expect.objectContaining({ scheduleId: id, period: '2026-06-01', appended: false })]);
    expect(await exportsOf(id)).toHaveLength(1);
    expect((await row(id)).next_fire_at.toISOString()).toBe('2026-06-08T07:30:00.000Z');
  });

  it('a schedule claimed by a dead instance is taken over once its lease ends; missed periods fire once', async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00.000Z'));
    const id = await createSchedule('2026-01-01T00:00:00.000Z', { frequency: 'monthly', dayOfMonth: 31, time: '06:00', timeZone: 'America/New_York' });
    expect((await row(id)).next_fire_at.toISOString()).toBe('2026-01-31T11:00:00.000Z');
    await pool.query(`UPDATE ${REPORT_SCHEDULES_TABLE} SET claimed_by = 'dead', claim_expires_at = '2026-04-01T00:00:00Z' WHERE schedule_id = $1`, [id]);
    clock.set(new Date('2026-03-15T00:00:00.000Z'));
    const live = scheduler(clock, 'live');
    expect((await live.runDue()).filter((f) => f.scheduleId === id)).toEqual([]);
    clock.set(new Date('2026-04-01T00:00:00.000Z'));
    // January, February (28th) and March (31st) were missed: only March fires.
    expect((await live.runDue()).filter((f) => f.scheduleId === id).map((f) => f.period)).toEqual(['2026-03']);
    expect((await row(id)).next_fire_at.toISOString()).toBe('2026-04-30T10:00:00.000Z');
  });

  it('arms its timer for the next due time of the injected clock', async () => {
    const clock = new FakeClock(new Date('2027-01-01T00:00:00.000Z'));
    await pool.query(`DELETE FROM ${REPORT_SCHEDULES_TABLE}`);
    await createSchedule('2027-01-01T00:00:00.000Z', { frequency: 'daily', time: '08:00', timeZone: 'Europe/Rome' });
    const armed: Array<{ ms: number; run: () => void }> = [];
    const timers: SchedulerTimers = { setTimeout: (run, ms) => armed.push({ ms, run }), clearTimeout: () => undefined };
    const s = scheduler(clock, 'timer', { timers, maxWaitMs: 7 * 86_400_000 });
    s.start();
    expect(armed.map((a) => a.ms)).toEqual([0]);
    armed[0].run();
    for (let i = 0; i < 200 && armed.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(armed[1].ms).toBe(7 * 3_600_000); // 08:00 CET = 07:00 UTC
    clock.set(new Date('2027-01-01T07:00:00.000Z'));
    armed[1].run();
    for (let i = 0; i < 200 && armed.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(armed[2].ms).toBe(86_400_000);
    await s.stop();
  });
});
