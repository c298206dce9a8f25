import type { RiskCountsRecord, SuspiciousFile } from '../../telemetry/domain/telemetry-records';
import { type CustomerHealth } from './customer-health';
import { healthOf, JOB_STATUS_INDEX, type DashboardState, type JobCounts } from './dashboard-state';
import { addDays, FORECAST_METHOD, fitLinear, forecastDays, type DailySample } from './storage-forecast';

export const SUBSCRIPTION_STATUSES = ['active', 'trial', 'expired'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export const SERVICE_STATES = ['not-started', 'started', 'partially-completed', 'failed'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export const SUCCESS_RATE_DAYS = 30;
export const RISK_TREND_DAYS = 7;
export const SHAREPOINT_HISTORY_DAYS = 90;
export const SHAREPOINT_FORECAST_DAYS = 90;
export const DAYS_PER_MONTH = 30;

export interface SubscriptionFact {
  subscriptionId: string;
  serviceCode: string;
  plan: 'trial' | 'paid';
  quantity: number;
  unit: string;
  termEndsAt: string;
  pooled: boolean;
  expired: boolean;
}

export interface FindingFact {
  findingId: string;
  detectedAt: string;
  workspaceType: 'onedrive' | 'sharepoint-site';
  workspace: string;
  activity: string;
  ransomwareSuspected: boolean;
  status: 'open' | 'resolved';
  suspiciousFiles: SuspiciousFile[];
  /** All files of the finding, when `suspiciousFiles` holds only the first ones. */
  suspiciousFileCount?: number;
}

/** One report generated or exported for the customer (the reports feature's activity). */
export interface ReportActivityFact {
  activityId: string;
  activity: string;
  reportId: string;
  reportKind: string;
  reportName: string;
  format: string;
  occurredAt: string;
}

export interface DashboardInputs {
  customerId: string;
  organizationName: string | null;
  managementMode: 'partner' | 'customer';
  state: DashboardState | undefined;
  subscriptions: SubscriptionFact[];
  serviceStates: Record<string, ServiceState>;
  /** Findings detected in the selected range, newest first (at most the list size). */
  findings: FindingFact[];
  findingCounts: { workspaces: number; oneDrives: number; sharePointSites: number; ransomwareSuspected: number; suspiciousFiles: number };
  /** Newest first. */
  reports: ReportActivityFact[];
  now: Date;
  statusFilter: SubscriptionStatus[];
  unusualActivityDays: number;
}

const today = (now: Date): string => now.toISOString().slice(0, 10);
const sumCounts = (a: JobCounts, b: JobCounts): JobCounts => [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];

export function subscriptionStatus(s: SubscriptionFact): SubscriptionStatus {
  return s.expired ? 'expired' : s.plan === 'trial' ? 'trial' : 'active';
}

function productsAndSubscriptions(input: DashboardInputs) {
  const all = input.subscriptions.map((s) => ({
    subscriptionId: s.subscriptionId,
    serviceCode: s.serviceCode,
    plan: s.plan,
    quantity: s.quantity,
    unit: s.unit,
    termEndsAt: s.termEndsAt,
    pooled: s.pooled,
    status: subscriptionStatus(s),
    serviceState: input.serviceStates[s.serviceCode] ?? ('not-started' as ServiceState),
  }));
  const counts = Object.fromEntries(SUBSCRIPTION_STATUSES.map((st) => [st, all.filter((s) => s.status === st).length])) as Record<SubscriptionStatus, number>;
  const items = input.statusFilter.length === 0 ? all : all.filter((s) => input.statusFilter.includes(s.status));
  items.sort((a, b) => a.serviceCode.localeCompare(b.serviceCode) || a.subscriptionId.localeCompare(b.subscriptionId));
  return { statusFilter: input.statusFilter, counts, items };
}

function backupStatus(state: DashboardState, now: Date) {
  const from = addDays(today(now), -(SUCCESS_RATE_DAYS - 1));
  const products = Object.entries(state.backup)
    .map(([product, b]) => {
      const window = Object.entries(b.days)
        .filter(([d]) => d >= from)
        .reduce<JobCounts>((acc, [, c]) => sumCounts(acc, c), [0, 0, 0, 0]);
      const total = window[0] + window[1] + window[2] + window[3];
      return {
        product,
        lastJob: b.last,
        jobsLast30Days: { total, succeeded: window[0], partiallySucceeded: window[1], failed: window[2], canceled: window[3] },
        /** Succeeded jobs over all jobs that ended in the last 30 days; null without jobs. */
        successRate: total === 0 ? null : Math.round((window[JOB_STATUS_INDEX.succeeded] / total) * 10_000) / 10_000,
      };
    })
    .sort((a, b) => a.product.localeCompare(b.product));
  return { successRateDays: SUCCESS_RATE_DAYS, products };
}

function storageReport(state: DashboardState, now: Date) {
  const from = addDays(today(now), -(SUCCESS_RATE_DAYS - 1));
  return {
    products: Object.entries(state.storage)
      .map(([product, s]) => ({
        product,
        usedBytes: s.latest.usedBytes,
        quotaBytes: s.latest.quotaBytes ?? null,
        sampledAt: s.latest.sampledAt,
        last30Days: Object.entries(s.days)
          .filter(([d]) => d >= from)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([date, v]) => ({ date, usedBytes: v.usedBytes })),
      }))
      .sort((a, b) => a.product.localeCompare(b.product)),
  };
}

/** How many files of each finding the dashboard lists (the XLSX export has them all). */
export const DASHBOARD_FILES_PER_FINDING = 20;

function unusualActivities(input: DashboardInputs) {
  return {
    rangeDays: input.unusualActivityDays,
    suspiciousWorkspaces: input.findingCounts.workspaces,
    suspiciousOneDrives: input.findingCounts.oneDrives,
    suspiciousSharePointSites: input.findingCounts.sharePointSites,
    ransomwareSuspected: input.findingCounts.ransomwareSuspected,
    suspiciousFiles: input.findingCounts.suspiciousFiles,
    items: input.findings.map((f) => ({
      ...f,
      suspiciousFileCount: f.suspiciousFileCount ?? f.suspiciousFiles.length,
      suspiciousFiles: f.suspiciousFiles.slice(0, DASHBOARD_FILES_PER_FINDING),
    })),
  };
}

function policyMonitor(state: DashboardState) {
  const rules = Object.entries(state.policy);
  const nonCompliant = rules
    .filter(([, r]) => !r.compliant)
    .map(([ruleId, r]) => ({ ruleId, ruleName: r.ruleName, violationsUnfixed: r.violationsUnfixed, scannedAt: r.scannedAt }))
    .sort((a, b) => a.ruleName.localeCompare(b.ruleName));
  return {
    compliantRules: rules.length - nonCompliant.length,
    nonCompliantRules: nonCompliant.length,
    fixedViolations: rules.reduce((n, [, r]) => n + r.violationsFixed, 0),
    unfixedViolations: rules.reduce((n, [, r]) => n + r.violationsUnfixed, 0),
    nonCompliant,
  };
}

const RISK_METRICS = ['highRiskItems', 'mediumRiskItems', 'sensitiveItems', 'externalUsers', 'externalLinks'] as const;
type RiskCounts = Record<(typeof RISK_METRICS)[number], number>;

function riskInsights(state: DashboardState, now: Date) {
  const from = addDays(today(now), -(RISK_TREND_DAYS - 1));
  const days = Object.keys(state.risk).sort();
  const latestDay = days[days.length - 1];
  const counts = (r: RiskCountsRecord): RiskCounts =>
    Object.fromEntries(RISK_METRICS.map((m) => [m, r[m]])) as RiskCounts;
  const inWindow = days.filter((d) => d >= from);
  const trend = inWindow.map((date) => ({ date, ...counts(state.risk[date]) }));
  const latest = latestDay ? state.risk[latestDay] : undefined;
  const first = trend[0];
  const last = trend[trend.length - 1];
  return {
    trendDays: RISK_TREND_DAYS,
    latest: latest ? { sampledAt: latest.sampledAt, ...counts(latest) } : null,
    trend,
    /** Last value minus first value within the 7 days (null with fewer than two days). */
    change: trend.length > 1 ? (Object.fromEntries(RISK_METRICS.map((m) => [m, last[m] - first[m]])) as RiskCounts) : null,
  };
}

function sharePointStorage(state: DashboardState, now: Date) {
  const t = today(now);
  const from = addDays(t, -(SHAREPOINT_HISTORY_DAYS - 1));
  const history: DailySample[] = Object.entries(state.sharePoint)
    .filter(([d]) => d >= from && d <= t)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, v]) => ({ date, usedBytes: v.usedBytes }));
  const quotaDays = Object.keys(state.sharePoint).filter((d) => state.sharePoint[d].quotaBytes !== undefined).sort();
  const quotaBytes = quotaDays.length > 0 ? (state.sharePoint[quotaDays[quotaDays.length - 1]].quotaBytes ?? null) : null;
  const fit = fitLinear(history);
  const usedBytes = history.length > 0 ? history[history.length - 1].usedBytes : null;
  const growthPerMonth = fit ? Math.round(fit.slope * DAYS_PER_MONTH) : null;
  const monthsUntilQuota =
    fit && quotaBytes !== null && usedBytes !== null && fit.slope > 0 ? Math.max(0, Math.round(((quotaBytes - usedBytes) / (fit.slope * DAYS_PER_MONTH)) * 10) / 10) : null;
  return {
    historyDays: SHAREPOINT_HISTORY_DAYS,
    last90Days: history,
    forecast: fit
      ? {
          method: FORECAST_METHOD,
          basedOnSamples: fit.samples,
          slopeBytesPerDay: Math.round(fit.slope),
          r2: Math.round(fit.r2 * 10_000) / 10_000,
          next90Days: forecastDays(fit, t, SHAREPOINT_FORECAST_DAYS),
        }
      : null,
    monthlyBudget: {
      usedBytes,
      quotaBytes,
      /** Expected growth per 30 days on the fitted trend: the storage to budget for each month. */
      estimatedMonthlyGrowthBytes: growthPerMonth,
      projectedUsedBytesIn30Days: fit ? forecastDays(fit, t, DAYS_PER_MONTH)[DAYS_PER_MONTH - 1].usedBytes : null,
      monthsUntilQuotaReached: monthsUntilQuota,
    },
  };
}

function serviceHealth(state: DashboardState | undefined) {
  const assessed = state ? healthOf(state) : { health: 'unknown' as CustomerHealth, reasons: ['No telemetry has been received yet'] };
  const incidents = Object.entries(state?.incidents ?? {}).map(([incidentId, i]) => ({ incidentId, ...i }));
  const byUpdate = (a: { updatedAt: string }, b: { updatedAt: string }) => b.updatedAt.localeCompare(a.updatedAt);
  return {
    status: assessed.health,
    since: state?.healthSince ?? null,
    reasons: assessed.reasons,
    openIncidents: incidents.filter((i) => i.status === 'open').sort(byUpdate),
    recentlyResolved: incidents.filter((i) => i.status === 'resolved').sort(byUpdate),
  };
}

function reportActivity(reports: ReportActivityFact[]) {
  return { items: reports };
}

/**
 * The customer detailed dashboard (F14) from its read model. In customer management mode the
 * partner's access is disabled (F3): only products & subscriptions.
 */
export function renderDashboard(input: DashboardInputs) {
  const base = {
    customerId: input.customerId,
    organizationName: input.organizationName,
    managementMode: input.managementMode,
    accessDisabled: input.managementMode === 'customer',
    generatedAt: input.now.toISOString(),
    productsAndSubscriptions: productsAndSubscriptions(input),
  };
  if (input.managementMode === 'customer') return base;
  const state = input.state;
  return {
    ...base,
    lastTelemetryAt: state?.lastTelemetryAt ?? null,
    serviceHealth: serviceHealth(state),
    reportActivity: reportActivity(input.reports),
    backupStatus: state ? backupStatus(state, input.now) : { successRateDays: SUCCESS_RATE_DAYS, products: [] },
    storageReport: state ? storageReport(state, input.now) : { products: [] },
    unusualActivities: unusualActivities(input),
    policyMonitor: state ? policyMonitor(state) : { compliantRules: 0, nonCompliantRules: 0, fixedViolations: 0, unfixedViolations: 0, nonCompliant: [] },
    riskInsights: state ? riskInsights(state, input.now) : { trendDays: RISK_TREND_DAYS, latest: null, trend: [], change: null },
    sharePointStorage: sharePointStorage(state ?? emptyForSharePoint, input.now),
  };
}

const emptyForSharePoint = { sharePoint: {} } as DashboardState;

export type DashboardView = ReturnType<typeof renderDashboard>;
