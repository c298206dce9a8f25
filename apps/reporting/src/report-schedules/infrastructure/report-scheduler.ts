import { deterministicUuid, type Clock } from '@platform/core';
import { ConcurrencyError, type EventStore, type NewEvent } from '@platform/event-store';
import type { Pool } from 'pg';
import { sanitizeFileName } from '../../exports/domain/export-file-name';
import { CONTENT_TYPES, type ReportDocument } from '../../exports/domain/report-table';
import { reportStreamId } from '../../exports/infrastructure/report-exporter';
import { renderReport } from '../../exports/infrastructure/report-writers';
import type { ReportDocuments } from '../../exports/queries/report-documents';
import { DOWNLOAD_LINK_TTL_MS, type ReportLinkSigner } from '../../reports/infrastructure/report-link-signer';
import { REPORT_FILES_TABLE } from '../../reports/infrastructure/reports.schema';
import { dueOccurrence, periodOf } from '../domain/recurrence';
import type { ReportScheduleDefinition } from '../domain/report-schedule.events';
import { REPORT_SCHEDULES_TABLE } from '../projections/report-schedules.projection';

export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ReportSchedulerOptions {
  pool: Pool;
  store: EventStore;
  clock: Clock;
  documents: Pick<ReportDocuments, 'customerInformationReport' | 'jobStatusReport'>;
  signer: ReportLinkSigner;
  /** This process (leases name it). */
  instanceId: string;
  timers?: SchedulerTimers;
  /** How long a claimed schedule stays this instance's before another may take it over (default 5 min). */
  leaseMs?: number;
  /** The timer re-checks at least this often (other instances add schedules; default 60 s). */
  maxWaitMs?: number;
  logger?: { warn(message: string): void };
}

interface ClaimedRow {
  schedule_id: string;
  partner_id: string;
  definition: ReportScheduleDefinition;
  next_fire_at: Date;
}

export interface FiredReport {
  scheduleId: string;
  reportId: string;
  period: string;
  /** False when an earlier run already announced this period (crash after append, before the row moved on). */
  appended: boolean;
}

export const SCHEDULER_ACTOR = { type: 'system' as const, id: 'reporting.report-scheduler' };

/**
 * Fires F17 schedules once per period, across restarts and instances. A due schedule is
 * claimed with a lease (`SELECT … FOR UPDATE SKIP LOCKED` in one statement, so no transaction
 * stays open while the report renders); the export goes to `report-<id>` where the report id
 * is derived from (schedule, period) and appended with expected version `no_stream`, so a
 * period is announced at most once whatever crashes or races; then the row moves on to the
 * next occurrence in the schedule's time zone. A timer is armed for the earliest due time.
 */
export class ReportScheduler {
  private readonly timers: SchedulerTimers;
  private readonly leaseMs: number;
  private readonly maxWaitMs: number;
  private handle: unknown;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly options: ReportSchedulerOptions) {
    this.timers = options.timers ?? { setTimeout: (cb, ms) => setTimeout(cb, ms).unref(), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
  }

  /** Starts the timer loop (fires what is due now, then waits for the next due time). */
  start(): void {
    this.stopped = false;
    this.arm(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Milliseconds until the earliest schedule is due (0 if one is due), capped at `maxWaitMs`. */
  async delayUntilNextDue(): Promise<number> {
    const { rows } = await this.options.pool.query<{ next: Date | null }>(`SELECT min(next_fire_at) AS next FROM ${REPORT_SCHEDULES_TABLE}`);
    const next = rows[0]?.next;
    if (!next) return this.maxWaitMs;
    return Math.max(0, Math.min(this.maxWaitMs, next.getTime() - this.options.clock.now().getTime()));
  }

  private arm(ms: number): void {
    if (this.stopped) return;
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.running = this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    try {
      await this.runDue();
      await this.purgeExpiredFiles();
      this.arm(await this.delayUntilNextDue());
    } catch (e) {
      this.options.logger?.warn(`report scheduler: ${(e as Error).message}`);
      this.arm(this.maxWaitMs);
    }
  }

  /** Report files whose links expired a day ago go (generated reports and scheduled exports alike). */
  async purgeExpiredFiles(): Promise<number> {
    const before = new Date(this.options.clock.now().getTime() - 86_400_000);
    const { rowCount } = await this.options.pool.query(`DELETE FROM ${REPORT_FILES_TABLE} WHERE expires_at < $1`, [before]);
    return rowCount ?? 0;
  }

  /** Fires every schedule due now that no other instance holds; what it fired. */
  async runDue(): Promise<FiredReport[]> {
    const fired: FiredReport[] = [];
    for (;;) {
      const claimed = await this.claim();
      if (!claimed) return fired;
      try {
        fired.push(await this.fire(claimed));
      } catch (e) {
        await this.release(claimed.schedule_id);
        throw e;
      }
    }
  }

  private async claim(): Promise<ClaimedRow | undefined> {
    const now = this.options.clock.now();
    const { rows } = await this.options.pool.query<ClaimedRow>(
      `UPDATE ${REPORT_SCHEDULES_TABLE} SET claimed_by = $1, claim_expires_at = $3
        WHERE schedule_id = (
          SELECT schedule_id FROM ${REPORT_SCHEDULES_TABLE}
           WHERE next_fire_at <= $2 AND (claim_expires_at IS NULL OR claim_expires_at <= $2)
           ORDER BY next_fire_at, schedule_id
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING schedule_id, partner_id, definition, next_fire_at`,
      [this.options.instanceId, now, new Date(now.getTime() + this.leaseMs)],
    );
    return rows[0];
  }

  private async release(scheduleId: string): Promise<void> {
    await this.options.pool.query(
      `UPDATE ${REPORT_SCHEDULES_TABLE} SET claimed_by = NULL, claim_expires_at = NULL WHERE schedule_id = $1 AND claimed_by = $2`,
      [scheduleId, this.options.instanceId],
    );
  }

  private async fire(row: ClaimedRow): Promise<FiredReport> {
    const { store, pool, signer, documents } = this.options;
    const d = row.definition;
    const now = this.options.clock.now();
    const { occurrence, next } = dueOccurrence(d.recurrence, row.next_fire_at, now);
    const period = periodOf(d.recurrence, occurrence);
    const reportId = deterministicUuid('reporting.scheduled-report', row.schedule_id, period);
    const streamId = reportStreamId(reportId);
    let appended = false;
    if ((await store.streamVersion(streamId)) === 0) {
      const doc: ReportDocument =
        d.reportKind === 'customer-information'
          ? await documents.customerInformationReport(row.partner_id, d.details, occurrence)
          : await documents.jobStatusReport(row.partner_id, d.details, occurrence, { product: d.product ?? undefined });
      const expiresAt = new Date(occurrence.getTime() + DOWNLOAD_LINK_TTL_MS);
      const fileName = sanitizeFileName(`${d.fileName ?? d.name} ${period}`, d.format, d.reportKind);
      const content = await renderReport(doc, d.format);
      await pool.query(
        `INSERT INTO ${REPORT_FILES_TABLE} (report_id, partner_id, customer_id, file_name, content_type, content, created_at, expires_at)
         VALUES ($1, $2, NULL, $3, $4, $5, $6, $7) ON CONFLICT (report_id) DO NOTHING`,
        [reportId, row.partner_id, fileName, CONTENT_TYPES[d.format], content, occurrence, expiresAt],
      );
      const event: NewEvent = {
        id: deterministicUuid('reporting.scheduled-report-event', row.schedule_id, period),
        type: 'ScheduledReportExported',
        schemaVersion: 1,
        data: {
          scheduleId: row.schedule_id,
          reportId,
          reportKind: d.reportKind,
          reportName: doc.title,
          format: d.format,
          downloadLink: signer.link(reportId, expiresAt),
          expiresAt: expiresAt.toISOString(),
          period,
          recipients: d.recipients.map((email) => ({ email })),
        },
        metadata: {
          partnerId: row.partner_id,
          // The message key of a partner-level export (the contract says so).
          customerId: row.partner_id,
          occurredAt: occurrence.toISOString(),
          correlationId: deterministicUuid('reporting.scheduled-report-correlation', row.schedule_id, period),
          actor: SCHEDULER_ACTOR,
          scheduleId: row.schedule_id,
        },
      };
      try {
        await store.append(streamId, [event], { expectedVersion: 'no_stream' });
        appended = true;
      } catch (e) {
        if (!(e instanceof ConcurrencyError)) throw e; // another instance announced this period first
      }
    }
    await pool.query(
      `UPDATE ${REPORT_SCHEDULES_TABLE}
          SET next_fire_at = $3, last_period = $4, last_fired_at = $5, claimed_by = NULL, claim_expires_at = NULL
        WHERE schedule_id = $1 AND claimed_by = $2`,
      [row.schedule_id, this.options.instanceId, next, period, occurrence],
    );
    return { scheduleId: row.schedule_id, reportId, period, appended };
  }
}
