import type { Pool } from 'pg';
import type { CustomerDirectory, DirectoryCustomer } from '@platform/customer-directory';
import { REPORT_ACTIVITY_TABLE } from '../../../reports/infrastructure/reports.schema';
import type { DashboardState } from '../../domain/dashboard-state';
import type { FindingFact, ReportActivityFact, ServiceState, SubscriptionFact } from '../../domain/dashboard-view';

export interface DashboardReadModel {
  /** The partner's customer from the service's directory; undefined: unknown or another partner's. */
  customer: DirectoryCustomer | undefined;
  state: DashboardState | undefined;
  subscriptions: SubscriptionFact[];
  serviceStates: Record<string, ServiceState>;
  findings: FindingFact[];
  findingCounts: { workspaces: number; oneDrives: number; sharePointSites: number; ransomwareSuspected: number; suspiciousFiles: number };
  reports: ReportActivityFact[];
}

export const DASHBOARD_FINDINGS_LISTED = 50;
export const DASHBOARD_REPORTS_LISTED = 20;
export const DASHBOARD_FILES_LISTED = 20;

/**
 * Everything the dashboard of one customer shows, with the customer itself (tenant check), in
 * one statement: a round trip is a good part of a dashboard read. Report activity is the reports
 * feature's read model (`reporting_report_activity`, same service), read as is.
 */
export async function readDashboard(
  pool: Pool,
  directory: CustomerDirectory,
  partnerId: string,
  customerId: string,
  findingsSince: Date,
): Promise<DashboardReadModel> {
  const { rows } = await pool.query<{
    customer: unknown;
    state: DashboardState | null;
    subscriptions: Array<Omit<SubscriptionFact, 'termEndsAt'> & { termEndsAt: string }>;
    services: Record<string, ServiceState>;
    findings: FindingFact[];
    counts: DashboardReadModel['findingCounts'];
    reports: ReportActivityFact[];
  }>({
    // Named: the server parses and plans this statement once per connection, not per read.
    name: `reporting_dashboard_read_${directory.table}`,
    text: `SELECT
       ${directory.partnerCustomerJsonSql('$1', '$3')} AS customer,
       (SELECT state FROM reporting_dashboard WHERE customer_id = $1) AS state,
       (SELECT coalesce(json_agg(json_build_object('subscriptionId', subscription_id, 'serviceCode', service_code, 'plan', plan,
                 'quantity', quantity, 'unit', unit, 'termEndsAt', term_ends_at, 'pooled', pooled, 'expired', expired)), '[]'::json)
          FROM reporting_dashboard_subscriptions WHERE customer_id = $1) AS subscriptions,
       (SELECT coalesce(json_object_agg(service_code, state), '{}'::json) FROM reporting_dashboard_services WHERE customer_id = $1) AS services,
       (SELECT coalesce(json_agg(json_build_object('findingId', f.finding_id, 'detectedAt', f.detected_at, 'workspaceType', f.workspace_type,
                 'workspace', f.workspace, 'activity', f.activity, 'ransomwareSuspected', f.ransomware_suspected, 'status', f.status,
                 'suspiciousFiles', f.files, 'suspiciousFileCount', f.file_count) ORDER BY f.detected_at DESC, f.finding_id), '[]'::json)
          FROM (SELECT *, jsonb_path_query_array(suspicious_files, '$[0 to ${DASHBOARD_FILES_LISTED - 1}]') AS files
                FROM reporting_dashboard_findings WHERE customer_id = $1 AND detected_at >= $2
                ORDER BY detected_at DESC, finding_id LIMIT ${DASHBOARD_FINDINGS_LISTED}) f) AS findings,
       (SELECT json_build_object('workspaces', count(DISTINCT workspace_type || ':' || workspace),
                 'oneDrives', count(DISTINCT workspace) FILTER (WHERE workspace_type = 'onedrive'),
                 'sharePointSites', count(DISTINCT workspace) FILTER (WHERE workspace_type = 'sharepoint-site'),
                 'ransomwareSuspected', count(DISTINCT workspace_type || ':' || workspace) FILTER (WHERE ransomware_suspected),
                 'suspiciousFiles', coalesce(sum(file_count), 0))
          FROM reporting_dashboard_findings WHERE customer_id = $1 AND detected_at >= $2) AS counts,
       (SELECT coalesce(json_agg(json_build_object('activityId', a.activity_id, 'activity', a.activity, 'reportId', a.report_id,
                 'reportKind', a.report_kind, 'reportName', a.report_name, 'format', a.format, 'occurredAt', a.occurred_at)
                 ORDER BY a.occurred_at DESC, a.position DESC), '[]'::json)
          FROM (SELECT * FROM ${REPORT_ACTIVITY_TABLE} WHERE customer_id = $1
                ORDER BY occurred_at DESC, position DESC LIMIT ${DASHBOARD_REPORTS_LISTED}) a) AS reports`,
    values: [customerId, findingsSince.toISOString(), partnerId],
  });
  const r = rows[0];
  return {
    customer: directory.fromJson(r.customer),
    state: r.state ?? undefined,
    subscriptions: r.subscriptions.map((s) => ({ ...s, termEndsAt: new Date(s.termEndsAt).toISOString() })),
    serviceStates: r.services,
    findings: r.findings.map((f) => ({ ...f, detectedAt: new Date(f.detectedAt).toISOString() })),
    findingCounts: { ...r.counts, suspiciousFiles: Number(r.counts.suspiciousFiles) },
    reports: r.reports.map((a) => ({ ...a, occurredAt: new Date(a.occurredAt).toISOString() })),
  };
}
