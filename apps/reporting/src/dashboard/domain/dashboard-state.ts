import type {
  BackupJobRecord,
  PolicyScanRecord,
  RiskCountsRecord,
  ServiceIncidentRecord,
  SharePointStorageRecord,
  StorageUsageRecord,
  UnusualActivityRecord,
} from '../../telemetry/domain/telemetry-records';
import { assessHealth, type CustomerHealth } from './customer-health';
import { addDays } from './storage-forecast';

/**
 * The dashboard's state of one customer (F14), folded from its telemetry stream. Plain JSON (stored as one jsonb row per customer), bounded in size:
 * daily series keep a window counted back from the newest day they hold, so the state does not
 * depend on when it was computed, only on the events.
 */
// Windows the dashboard shows (30-day success rate and storage, 7-day risk trend, 90-day
// SharePoint history and fit), plus a day for "today" being the newest day held.
export const BACKUP_DAYS_KEPT = 31;
export const STORAGE_DAYS_KEPT = 31;
export const RISK_DAYS_KEPT = 8;
export const SHAREPOINT_DAYS_KEPT = 91;
export const RESOLVED_INCIDENT_DAYS_KEPT = 30;

/** [succeeded, partially succeeded, failed, canceled] */
export type JobCounts = [number, number, number, number];
export const JOB_STATUS_INDEX: Record<string, number> = { succeeded: 0, 'partially-succeeded': 1, failed: 2, canceled: 3 };

export interface ProductBackupState {
  last: Omit<BackupJobRecord, 'product'>;
  /** By day of `endedAt` (YYYY-MM-DD). */
  days: Record<string, JobCounts>;
}

export interface DashboardState {
  partnerId: string;
  /** Last applied version of `telemetry-<customerId>` (replays of older events change nothing). */
  telemetryVersion: number;
  lastTelemetryAt: string | null;
  backup: Record<string, ProductBackupState>;
  /** Per product: the newest sample, and by day the last sample of that day. */
  storage: Record<string, { latest: Omit<StorageUsageRecord, 'product'>; days: Record<string, { at: string; usedBytes: number }> }>;
  /** Findings still open (unusual activity not resolved), with whether ransomware is suspected. */
  openFindings: Record<string, { ransomwareSuspected: boolean; detectedAt: string }>;
  policy: Record<string, Omit<PolicyScanRecord, 'ruleId'>>;
  /** By day: the last sample of that day. */
  risk: Record<string, RiskCountsRecord>;
  sharePoint: Record<string, { usedBytes: number; quotaBytes?: number }>;
  incidents: Record<string, Omit<ServiceIncidentRecord, 'incidentId'>>;
  health: CustomerHealth;
  healthSince: string | null;
}

/** What the fold needs of a recorded event (structurally a RecordedEvent). */
export interface DashboardInputEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  streamId: string;
  streamVersion: number;
  metadata: { occurredAt: string; partnerId: string };
}

export const initialDashboardState = (partnerId: string): DashboardState => ({
  partnerId,
  telemetryVersion: 0,
  lastTelemetryAt: null,
  backup: {},
  storage: {},
  openFindings: {},
  policy: {},
  risk: {},
  sharePoint: {},
  incidents: {},
  health: 'unknown',
  healthSince: null,
});

const day = (iso: string): string => iso.slice(0, 10);

/** Days beyond the window a series may hold before it is trimmed (trimming every event would cost more than it saves). */
export const PRUNE_SLACK_DAYS = 7;

/** Trims the series to its `keep` newest days (counted back from the newest key) once it holds `keep + slack`; called when a day is added. */
function prune<T>(series: Record<string, T>, keep: number): void {
  const keys = Object.keys(series);
  if (keys.length <= keep + PRUNE_SLACK_DAYS) return;
  const newest = keys.reduce((a, b) => (a > b ? a : b));
  const cutoff = addDays(newest, -(keep - 1));
  for (const k of keys) if (k < cutoff) delete series[k];
}

/** Applies one telemetry event to `draft` in place. */
function applyTelemetry(draft: DashboardState, e: DashboardInputEvent): void {
  switch (e.type) {
    case 'BackupJobReported': {
      const { product, ...job } = e.data as unknown as BackupJobRecord;
      const d = day(job.endedAt);
      const current = (draft.backup[product] ??= { last: job, days: {} });
      let counts = current.days[d];
      if (!counts) {
        counts = current.days[d] = [0, 0, 0, 0];
        prune(current.days, BACKUP_DAYS_KEPT);
      }
      counts[JOB_STATUS_INDEX[job.status]] += 1;
      // The last job is the one that ended last, whatever order the reports came in.
      const last = current.last;
      if (job.endedAt > last.endedAt || (job.endedAt === last.endedAt && job.jobId >= last.jobId)) current.last = job;
      return;
    }
    case 'StorageUsageReported': {
      const { product, ...sample } = e.data as unknown as StorageUsageRecord;
      const current = (draft.storage[product] ??= { latest: sample, days: {} });
      if (sample.sampledAt >= current.latest.sampledAt) current.latest = sample;
      const d = day(sample.sampledAt);
      const sameDay = current.days[d];
      if (!sameDay || sameDay.at <= sample.sampledAt) current.days[d] = { at: sample.sampledAt, usedBytes: sample.usedBytes };
      if (!sameDay) prune(current.days, STORAGE_DAYS_KEPT);
      return;
    }
    case 'UnusualActivityReported': {
      const f = e.data as unknown as UnusualActivityRecord;
      if (f.status === 'open') draft.openFindings[f.findingId] = { ransomwareSuspected: f.ransomwareSuspected, detectedAt: f.detectedAt };
      else delete draft.openFindings[f.findingId];
      return;
    }
    case 'PolicyScanReported': {
      const { ruleId, ...scan } = e.data as unknown as PolicyScanRecord;
      const current = draft.policy[ruleId];
      if (!current || current.scannedAt <= scan.scannedAt) draft.policy[ruleId] = scan;
      return;
    }
    case 'RiskCountsReported': {
      const r = e.data as unknown as RiskCountsRecord;
      const d = day(r.sampledAt);
      const current = draft.risk[d];
      if (!current || current.sampledAt <= r.sampledAt) draft.risk[d] = r;
      if (!current) prune(draft.risk, RISK_DAYS_KEPT);
      return;
    }
    case 'SharePointStorageReported': {
      const r = e.data as unknown as SharePointStorageRecord;
      const known = r.date in draft.sharePoint;
      draft.sharePoint[r.date] = r.quotaBytes !== undefined ? { usedBytes: r.usedBytes, quotaBytes: r.quotaBytes } : { usedBytes: r.usedBytes };
      if (!known) prune(draft.sharePoint, SHAREPOINT_DAYS_KEPT);
      return;
    }
    case 'ServiceIncidentReported': {
      const { incidentId, ...incident } = e.data as unknown as ServiceIncidentRecord;
      const current = draft.incidents[incidentId];
      if (current && current.updatedAt > incident.updatedAt) return;
      draft.incidents[incidentId] = incident;
      // Resolved incidents are kept for a while (recently resolved list), counted back from the newest update.
      const all = Object.values(draft.incidents);
      const newest = all.reduce((a, i) => (i.updatedAt > a ? i.updatedAt : a), '');
      const cutoff = new Date(Date.parse(newest) - RESOLVED_INCIDENT_DAYS_KEPT * 86_400_000).toISOString();
      for (const [id, i] of Object.entries(draft.incidents)) if (i.status === 'resolved' && i.updatedAt < cutoff) delete draft.incidents[id];
      return;
    }
    default:
      return;
  }
}

export function healthOf(state: DashboardState) {
  return assessHealth({
    hasTelemetry: state.telemetryVersion > 0,
    lastJobStatuses: Object.values(state.backup).map((b) => b.last.status),
    openIncidentSeverities: Object.values(state.incidents).filter((i) => i.status === 'open').map((i) => i.severity),
    openFindings: Object.values(state.openFindings),
  });
}

export interface HealthTransition {
  causeEventId: string;
  at: string;
  health: CustomerHealth;
  previousHealth: CustomerHealth;
}

export interface ApplyResult {
  /** False when the event was already applied (a replay): nothing changed. */
  changed: boolean;
  /** Set when this event changed the customer's health. */
  transition?: HealthTransition;
}

/**
 * Applies one event to `draft` in place (the projection folds a batch into the state it loaded,
 * without copying it per event). Telemetry at or below the applied stream version is a replay
 * and changes nothing (so is any event of another stream). Health is re-assessed after every
 * telemetry event, so transitions do not depend on batch boundaries.
 */
export function applyDashboardEvent(draft: DashboardState, e: DashboardInputEvent, telemetryStream: string): ApplyResult {
  if (e.streamId !== telemetryStream || e.streamVersion <= draft.telemetryVersion) return { changed: false };
  applyTelemetry(draft, e);
  draft.telemetryVersion = e.streamVersion;
  if (!draft.lastTelemetryAt || draft.lastTelemetryAt < e.metadata.occurredAt) draft.lastTelemetryAt = e.metadata.occurredAt;
  const previousHealth = draft.health;
  const health = healthOf(draft).health;
  if (health === previousHealth) return { changed: true };
  draft.health = health;
  draft.healthSince = e.metadata.occurredAt;
  return { changed: true, transition: { causeEventId: e.id, at: e.metadata.occurredAt, health, previousHealth } };
}

export interface EvolveResult {
  state: DashboardState;
  /** Set when this event changed the customer's health. */
  transition?: HealthTransition;
}

/** Pure form of {@link applyDashboardEvent}: `state` is left as it was (the same object comes back when nothing changed). */
export function evolveDashboard(state: DashboardState, e: DashboardInputEvent, telemetryStream: string): EvolveResult {
  const draft = structuredClone(state);
  const result = applyDashboardEvent(draft, e, telemetryStream);
  return result.changed ? { state: draft, ...(result.transition ? { transition: result.transition } : {}) } : { state };
}
