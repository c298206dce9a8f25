import type { PoolClient } from 'pg';
import { deterministicUuid } from '@platform/core';
import { IdempotencyConflictError, streamCategory, type EventStore, type NewEvent, type Projection, type RecordedEvent } from '@platform/event-store';
import type { UnusualActivityRecord } from '../../telemetry/domain/telemetry-records';
import { TELEMETRY_CATEGORY, telemetryStreamId } from '../../telemetry/domain/telemetry.events';
import { healthStreamId } from '../domain/customer-health';
import { applyDashboardEvent, initialDashboardState, type DashboardState, type HealthTransition } from '../domain/dashboard-state';
import { DASHBOARD_PROJECTION_TABLES } from '../infrastructure/dashboard.schema';

export const DASHBOARD_PROJECTION = 'reporting.dashboard';

interface FindingRow {
  customer_id: string;
  finding_id: string;
  detected_at: string;
  workspace_type: string;
  workspace: string;
  activity: string;
  ransomware_suspected: boolean;
  status: string;
  suspicious_files: unknown;
  file_count: number;
  stream_version: number;
}

/**
 * Folds `telemetry-*` streams into one dashboard row per customer (report activity comes from
 * the reports feature's own read model, `reporting_report_activity`). A batch loads the rows of the customers
 * it touches with one query, folds into them in memory (in place) and writes the changed ones
 * back with one statement.
 *
 * Health: after every telemetry event the customer's health is re-assessed; a change appends
 * `CustomerHealthChanged` to `health-<customerId>` with an id derived from the event that
 * caused it, so a retried or rebuilt batch appends nothing twice (the store deduplicates ids).
 */
export class DashboardProjection implements Projection {
  readonly name = DASHBOARD_PROJECTION;
  // One category only: the store's catch-up read then walks the log in order and stops after a
  // page (a second, sparse category would make each page scan the rest of the log for it).
  readonly filter = { categories: [TELEMETRY_CATEGORY] };
  readonly batchSize = 2000;

  /** Wake-ups of appends made in the batch's transaction, for after it commits. */
  private committed: Array<() => void> = [];

  constructor(private readonly store: EventStore) {}

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    this.committed = []; // a failed batch's appends rolled back with it
    const relevant = events.filter((e) => customerOf(e) !== undefined);
    if (relevant.length === 0) return;
    const ids = [...new Set(relevant.map((e) => customerOf(e) as string))];
    const { rows } = await tx.query<{ customer_id: string; state: DashboardState }>(
      'SELECT customer_id, state FROM reporting_dashboard WHERE customer_id = ANY($1::text[])',
      [ids],
    );
    const states = new Map(rows.map((r) => [r.customer_id, r.state]));
    const changed = new Set<string>();
    const findings = new Map<string, FindingRow>();
    const transitions: Array<{ customerId: string; partnerId: string; correlationId: string; t: HealthTransition }> = [];

    for (const e of relevant) {
      const customerId = customerOf(e) as string;
      let draft = states.get(customerId);
      if (!draft) {
        draft = initialDashboardState(e.metadata.partnerId);
        states.set(customerId, draft);
      }
      const result = applyDashboardEvent(draft, e, telemetryStreamId(customerId));
      if (!result.changed) continue;
      changed.add(customerId);
      if (result.transition) {
        transitions.push({ customerId, partnerId: e.metadata.partnerId, correlationId: e.metadata.correlationId, t: result.transition });
      }
      if (e.type === 'UnusualActivityReported' && e.streamId === telemetryStreamId(customerId)) {
        const f = e.data as unknown as UnusualActivityRecord;
        findings.set(`${customerId}/${f.findingId}`, {
          customer_id: customerId,
          finding_id: f.findingId,
          detected_at: f.detectedAt,
          workspace_type: f.workspaceType,
          workspace: f.workspace,
          activity: f.activity,
          ransomware_suspected: f.ransomwareSuspected,
          status: f.status,
          suspicious_files: f.suspiciousFiles,
          file_count: f.suspiciousFiles.length,
          stream_version: e.streamVersion,
        });
      }
    }

    if (changed.size > 0) {
      const payload = [...changed].map((id) => {
        const s = states.get(id) as DashboardState;
        return { customer_id: id, partner_id: s.partnerId, state: s, health: s.health };
      });
      await tx.query(
        `INSERT INTO reporting_dashboard (customer_id, partner_id, state, health)
         SELECT r.customer_id, r.partner_id, r.state, r.health
         FROM jsonb_to_recordset($1::jsonb) AS r(customer_id text, partner_id text, state jsonb, health text)
         ON CONFLICT (customer_id) DO UPDATE SET state = EXCLUDED.state, health = EXCLUDED.health`,
        [JSON.stringify(payload)],
      );
    }
    if (findings.size > 0) {
      await tx.query(
        `INSERT INTO reporting_dashboard_findings AS f (customer_id, finding_id, detected_at, workspace_type, workspace, activity,
           ransomware_suspected, status, suspicious_files, file_count, stream_version)
         SELECT r.* FROM jsonb_to_recordset($1::jsonb) AS r(customer_id text, finding_id text, detected_at timestamptz,
           workspace_type text, workspace text, activity text, ransomware_suspected boolean, status text,
           suspicious_files jsonb, file_count integer, stream_version integer)
         ON CONFLICT (customer_id, finding_id) DO UPDATE SET detected_at = EXCLUDED.detected_at,
           workspace_type = EXCLUDED.workspace_type, workspace = EXCLUDED.workspace, activity = EXCLUDED.activity,
           ransomware_suspected = EXCLUDED.ransomware_suspected, status = EXCLUDED.status,
           suspicious_files = EXCLUDED.suspicious_files, file_count = EXCLUDED.file_count, stream_version = EXCLUDED.stream_version
         WHERE f.stream_version < EXCLUDED.stream_version`,
        [JSON.stringify([...findings.values()])],
      );
    }
    // One append per customer per batch, in order. Only this projection writes `health-*`, so a
    // rebuild with other batch boundaries sends contiguous runs of the same stored sequence,
    // which the store answers as retries; a run mixing stored and new events (a crash between
    // append and commit, then other boundaries) is appended one event at a time instead.
    const byCustomer = new Map<string, NewEvent[]>();
    for (const { customerId, partnerId, correlationId, t } of transitions) {
      const list = byCustomer.get(customerId) ?? [];
      list.push({
        id: deterministicUuid('customer-health', t.causeEventId),
        type: 'CustomerHealthChanged',
        schemaVersion: 1,
        data: { health: t.health, previousHealth: t.previousHealth },
        metadata: { partnerId, customerId, occurredAt: t.at, correlationId, causationId: t.causeEventId, actor: { type: 'service', id: 'reporting' } },
      });
      byCustomer.set(customerId, list);
    }
    // In the checkpoint's transaction where the store can (PostgreSQL): the health events commit
    // with the dashboard rows. Through its own connections otherwise (EventStoreDB).
    const append = async (customerId: string, events: NewEvent[]) => {
      if (!this.store.appendInTransaction) return void (await this.store.append(healthStreamId(customerId), events, { expectedVersion: 'any' }));
      const appended = await this.store.appendInTransaction(tx, healthStreamId(customerId), events, { expectedVersion: 'any' });
      this.committed.push(appended.committed);
    };
    for (const [customerId, list] of byCustomer) {
      try {
        await append(customerId, list);
      } catch (e) {
        if (!(e instanceof IdempotencyConflictError) || list.length === 1) throw e;
        for (const event of list) await append(customerId, [event]);
      }
    }
  }

  /** Wakes this process's readers of the health events (the relay) once they are committed. */
  afterCommit(): void {
    const committed = this.committed;
    this.committed = [];
    for (const wake of committed) wake();
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`TRUNCATE ${DASHBOARD_PROJECTION_TABLES.join(', ')}`);
  }
}

/** The customer of a `telemetry-<customerId>` event. */
function customerOf(e: RecordedEvent): string | undefined {
  return streamCategory(e.streamId) === TELEMETRY_CATEGORY ? e.streamId.slice(TELEMETRY_CATEGORY.length + 1) : undefined;
}
