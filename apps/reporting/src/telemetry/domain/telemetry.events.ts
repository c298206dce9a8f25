import type {
  BackupJobRecord,
  PolicyScanRecord,
  RiskCountsRecord,
  ServiceIncidentRecord,
  SharePointStorageRecord,
  StorageUsageRecord,
  TelemetryKind,
  TelemetryRecordByKind,
  UnusualActivityRecord,
} from './telemetry-records';

/** Telemetry of a customer lives in `telemetry-<customerId>` (spec conventions). */
export const TELEMETRY_CATEGORY = 'telemetry';
export const telemetryStreamId = (customerId: string): string => `${TELEMETRY_CATEGORY}-${customerId}`;

export type BackupJobReported = { type: 'BackupJobReported'; data: BackupJobRecord & Record<string, unknown> };
export type StorageUsageReported = { type: 'StorageUsageReported'; data: StorageUsageRecord & Record<string, unknown> };
export type UnusualActivityReported = { type: 'UnusualActivityReported'; data: UnusualActivityRecord & Record<string, unknown> };
export type PolicyScanReported = { type: 'PolicyScanReported'; data: PolicyScanRecord & Record<string, unknown> };
export type RiskCountsReported = { type: 'RiskCountsReported'; data: RiskCountsRecord & Record<string, unknown> };
export type SharePointStorageReported = { type: 'SharePointStorageReported'; data: SharePointStorageRecord & Record<string, unknown> };
export type ServiceIncidentReported = { type: 'ServiceIncidentReported'; data: ServiceIncidentRecord & Record<string, unknown> };

export type TelemetryEvent =
  | BackupJobReported
  | StorageUsageReported
  | UnusualActivityReported
  | PolicyScanReported
  | RiskCountsReported
  | SharePointStorageReported
  | ServiceIncidentReported;

export type TelemetryEventType = TelemetryEvent['type'];

export const EVENT_TYPE_OF_KIND: { [K in TelemetryKind]: TelemetryEventType } = {
  'backup-jobs': 'BackupJobReported',
  'storage-usage': 'StorageUsageReported',
  'unusual-activities': 'UnusualActivityReported',
  'policy-scans': 'PolicyScanReported',
  'risk-counts': 'RiskCountsReported',
  'sharepoint-storage': 'SharePointStorageReported',
  'service-health': 'ServiceIncidentReported',
};

export const TELEMETRY_EVENT_TYPES: readonly string[] = Object.values(EVENT_TYPE_OF_KIND);

export function telemetryEvent<K extends TelemetryKind>(kind: K, record: TelemetryRecordByKind[K]): TelemetryEvent {
  return { type: EVENT_TYPE_OF_KIND[kind], data: record as unknown as Record<string, unknown> } as TelemetryEvent;
}

/**
 * Event id of record `index` of a batch, from the batch's own deterministic id (one hash per
 * batch, not per record): the index is mixed into the last 16 bits, so the ids of one batch
 * differ and a retry of the batch yields the same ids. Indexes stay below 65,536 (a batch holds
 * at most 1,000 records).
 */
export function telemetryEventId(batchEventBase: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 0xffff) throw new RangeError(`record index out of range: ${index}`);
  const tail = (parseInt(batchEventBase.slice(-4), 16) ^ index).toString(16).padStart(4, '0');
  return `${batchEventBase.slice(0, -4)}${tail}`;
}
