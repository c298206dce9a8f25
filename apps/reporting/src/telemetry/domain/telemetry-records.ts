/**
 * What product environments report (F14 inputs), one record shape per kind. Every record names
 * its customer; times are ISO 8601 UTC, sizes in bytes, counts non-negative integers.
 */
export const TELEMETRY_KINDS = [
  'backup-jobs',
  'storage-usage',
  'unusual-activities',
  'policy-scans',
  'risk-counts',
  'sharepoint-storage',
  'service-health',
] as const;
export type TelemetryKind = (typeof TELEMETRY_KINDS)[number];
export const isTelemetryKind = (v: string): v is TelemetryKind => (TELEMETRY_KINDS as readonly string[]).includes(v);

export const MAX_BATCH_RECORDS = 1000;

export const BACKUP_PRODUCTS = [
  'cloud-backup-m365',
  'cloud-backup-google',
  'cloud-backup-dynamics365',
  'cloud-backup-salesforce',
  'cloud-backup-iaas-paas',
] as const;
export type BackupProduct = (typeof BACKUP_PRODUCTS)[number];

export const JOB_STATUSES = ['succeeded', 'partially-succeeded', 'failed', 'canceled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const WORKSPACE_TYPES = ['onedrive', 'sharepoint-site'] as const;
export const INCIDENT_SEVERITIES = ['advisory', 'incident'] as const;
export const INCIDENT_STATUSES = ['open', 'resolved'] as const;
export const FINDING_STATUSES = ['open', 'resolved'] as const;

export interface BackupJobRecord {
  jobId: string;
  product: BackupProduct;
  /** Exchange, OneDrive, SharePoint, Teams, Groups, … as the product names it. */
  workload: string;
  startedAt: string;
  endedAt: string;
  status: JobStatus;
  items: number;
  bytes: number;
}

export interface StorageUsageRecord {
  product: BackupProduct;
  sampledAt: string;
  usedBytes: number;
  quotaBytes?: number;
}

export interface SuspiciousFile {
  path: string;
  reason?: string;
  modifiedAt?: string;
}

export interface UnusualActivityRecord {
  findingId: string;
  detectedAt: string;
  workspaceType: (typeof WORKSPACE_TYPES)[number];
  /** The OneDrive owner or the SharePoint site (URL or name). */
  workspace: string;
  activity: string;
  ransomwareSuspected: boolean;
  status: (typeof FINDING_STATUSES)[number];
  suspiciousFiles: SuspiciousFile[];
}

export interface PolicyScanRecord {
  ruleId: string;
  ruleName: string;
  scannedAt: string;
  compliant: boolean;
  violationsFixed: number;
  violationsUnfixed: number;
}

export interface RiskCountsRecord {
  sampledAt: string;
  highRiskItems: number;
  mediumRiskItems: number;
  sensitiveItems: number;
  externalUsers: number;
  externalLinks: number;
}

export interface SharePointStorageRecord {
  /** Day of the sample (YYYY-MM-DD, UTC). */
  date: string;
  usedBytes: number;
  quotaBytes?: number;
}

export interface ServiceIncidentRecord {
  incidentId: string;
  /** The affected service (`Exchange Online`, `Cloud Backup for Microsoft 365`, …). */
  service: string;
  title: string;
  severity: (typeof INCIDENT_SEVERITIES)[number];
  status: (typeof INCIDENT_STATUSES)[number];
  startedAt: string;
  updatedAt: string;
}

export interface TelemetryRecordByKind {
  'backup-jobs': BackupJobRecord;
  'storage-usage': StorageUsageRecord;
  'unusual-activities': UnusualActivityRecord;
  'policy-scans': PolicyScanRecord;
  'risk-counts': RiskCountsRecord;
  'sharepoint-storage': SharePointStorageRecord;
  'service-health': ServiceIncidentRecord;
}
