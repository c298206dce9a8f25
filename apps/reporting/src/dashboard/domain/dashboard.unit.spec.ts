import type { RecordedEvent } from '@platform/event-store';
import { telemetryStreamId } from '../../telemetry/domain/telemetry.events';
import { DashboardFixtures, job } from '../testing/dashboard-fixtures';
import { evolveDashboard, initialDashboardState, type DashboardState, type HealthTransition } from './dashboard-state';
import { renderDashboard, type DashboardInputs, type SubscriptionFact } from './dashboard-view';

const C = '0192e5f0-0000-7000-8000-00000000c001';
const NOW = new Date('2026-05-10T12:00:00.000Z');

function fold(events: RecordedEvent[], from?: DashboardState): { state: DashboardState; transitions: HealthTransition[] } {
  let state = from ?? initialDashboardState(events[0].metadata.partnerId);
  const transitions: HealthTransition[] = [];
  for (const e of events) {
    const r = evolveDashboard(state, e, telemetryStreamId(C));
    state = r.state;
    if (r.transition) transitions.push(r.transition);
  }
  return { state, transitions };
}

function history(f = new DashboardFixtures()): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  // 30 days of nightly Exchange jobs: 27 succeeded, 2 partial, 1 failed (day 10), the newest succeeded.
  for (let i = 0; i < 30; i++) {
    const day = new Date(Date.UTC(2026, 3, 11 + i)).toISOString().slice(0, 10);
    const status = i === 10 ? 'failed' : i === 3 || i === 20 ? 'partially-succeeded' : 'succeeded';
    out.push(f.telemetry(C, 'backup-jobs', job(day, status)));
  }
  // An old failure beyond 30 days, reported late (after newer jobs): counts in no window, is not the last job.
  out.push(f.telemetry(C, 'backup-jobs', job('2026-03-01', 'failed')));
  out.push(f.telemetry(C, 'backup-jobs', job('2026-05-10', 'failed', { product: 'cloud-backup-google', workload: 'gmail' })));
  out.push(f.telemetry(C, 'storage-usage', { product: 'cloud-backup-m365', sampledAt: '2026-05-09T06:00:00.000Z', usedBytes: 900, quotaBytes: 5000 }));
  out.push(f.telemetry(C, 'storage-usage', { product: 'cloud-backup-m365', sampledAt: '2026-05-10T06:00:00.000Z', usedBytes: 1000, quotaBytes: 5000 }));
  out.push(f.telemetry(C, 'storage-usage', { product: 'cloud-backup-m365', sampledAt: '2026-05-10T03:00:00.000Z', usedBytes: 950 }));
  for (let i = 0; i < 100; i++) {
    const date = new Date(Date.UTC(2026, 1, 1 + i)).toISOString().slice(0, 10);
    out.push(f.telemetry(C, 'sharepoint-storage', { date, usedBytes: 1_000_000 + 10_000 * i, quotaBytes: 3_000_000 }));
  }
  for (let i = 0; i < 9; i++) {
    const date = new Date(Date.UTC(2026, 4, 2 + i)).toISOString().slice(0, 10);
    out.push(f.telemetry(C, 'risk-counts', { sampledAt: `${date}T07:00:00.000Z`, highRiskItems: 10 + i, mediumRiskItems: 50, sensitiveItems: 200 - i, externalUsers: 5, externalLinks: 40 + 2 * i }));
  }
  out.push(f.telemetry(C, 'policy-scans', { ruleId: 'mfa', ruleName: 'MFA for admins', scannedAt: '2026-05-09T08:00:00.000Z', compliant: false, violationsFixed: 1, violationsUnfixed: 3 }));
  out.push(f.telemetry(C, 'policy-scans', { ruleId: 'mfa', ruleName: 'MFA for admins', scannedAt: '2026-05-01T08:00:00.000Z', compliant: true, violationsFixed: 0, violationsUnfixed: 0 }));
  out.push(f.telemetry(C, 'policy-scans', { ruleId: 'guests', ruleName: 'Guest review', scannedAt: '2026-05-09T08:00:00.000Z', compliant: true, violationsFixed: 4, violationsUnfixed: 0 }));
  const finding = { findingId: 'f1', detectedAt: '2026-05-08T02:00:00.000Z', workspaceType: 'sharepoint-site' as const, workspace: 'https://x/sites/fin', activity: 'Encryption', ransomwareSuspected: true, suspiciousFiles: [] };
  out.push(f.telemetry(C, 'unusual-activities', { ...finding, status: 'open' }));
  out.push(f.report(C, 'r1', 'ReportGenerated', { reportName: 'Unusual activities', format: 'pdf' }, '2026-05-09T09:00:00.000Z'));
  out.push(f.telemetry(C, 'unusual-activities', { ...finding, status: 'resolved' }));
  out.push(f.telemetry(C, 'service-health', { incidentId: 'i1', service: 'Exchange Online', title: 'Delays', severity: 'advisory', status: 'open', startedAt: '2026-05-09T10:00:00.000Z', updatedAt: '2026-05-09T10:00:00.000Z' }));
  out.push(f.report(C, 'r2', 'ReportGenerated', { reportName: 'Storage consumption', format: 'xlsx' }, '2026-05-10T09:00:00.000Z'));
  return out;
}

const subscriptions: SubscriptionFact[] = [
  { subscriptionId: 's1', serviceCode: 'cloud-backup-m365', plan: 'paid', quantity: 100, unit: 'seats', termEndsAt: '2027-01-01T00:00:00.000Z', pooled: false, expired: false },
  { subscriptionId: 's2', serviceCode: 'policies-m365', plan: 'trial', quantity: 10, unit: 'seats', termEndsAt: '2026-06-01T00:00:00.000Z', pooled: false, expired: false },
  { subscriptionId: 's3', serviceCode: 'cloud-backup-google', plan: 'paid', quantity: 5, unit: 'seats', termEndsAt: '2026-04-01T00:00:00.000Z', pooled: false, expired: true },
];

const inputs = (state: DashboardState | undefined, over: Partial<DashboardInputs> = {}): DashboardInputs => ({
  customerId: C,
  organizationName: 'Contoso',
  managementMode: 'partner',
  state,
  subscriptions,
  serviceStates: { 'cloud-backup-m365': 'started' },
  findings: [],
  findingCounts: { workspaces: 0, oneDrives: 0, sharePointSites: 0, ransomwareSuspected: 0, suspiciousFiles: 0 },
  reports: [],
  now: NOW,
  statusFilter: [],
  unusualActivityDays: 30,
  ...over,
});

describe('dashboard fold and view (F14)', () => {
  it('the same events twice give the same dashboard (replays change nothing)', () => {
    const events = history();
    const once = fold(events);
    const twice = fold(events, once.state);
    expect(twice.state).toEqual(once.state);
    expect(twice.transitions).toEqual([]);
    expect(renderDashboard(inputs(twice.state))).toEqual(renderDashboard(inputs(once.state)));
  });

  it('backup status per product: the job that ended last, and the 30-day success rate', () => {
    const view = renderDashboard(inputs(fold(history()).state));
    if (!('backupStatus' in view)) throw new Error('expected the full dashboard');
    const [google, m365] = view.backupStatus.products;
    expect(m365.product).toBe('cloud-backup-m365');
    expect(m365.lastJob.jobId).toBe('job-2026-05-10-exchange-succeeded');
    expect(m365.jobsLast30Days).toEqual({ total: 30, succeeded: 27, partiallySucceeded: 2, failed: 1, canceled: 0 });
    expect(m365.successRate).toBe(0.9);
    expect(google).toMatchObject({ product: 'cloud-backup-google', successRate: 0, lastJob: { status: 'failed' } });
    expect(view.storageReport.products[0]).toMatchObject({ usedBytes: 1000, quotaBytes: 5000, last30Days: [{ date: '2026-05-09', usedBytes: 900 }, { date: '2026-05-10', usedBytes: 1000 }] });
  });

  it('policy monitor, risk trends, SharePoint forecast and budget, report activity', () => {
    const view = renderDashboard(inputs(fold(history()).state));
    if (!('policyMonitor' in view)) throw new Error('expected the full dashboard');
    expect(view.policyMonitor).toEqual({
      compliantRules: 1, nonCompliantRules: 1, fixedViolations: 5, unfixedViolations: 3,
      nonCompliant: [{ ruleId: 'mfa', ruleName: 'MFA for admins', violationsUnfixed: 3, scannedAt: '2026-05-09T08:00:00.000Z' }],
    });
    expect(view.riskInsights.trend.map((d) => d.date)).toEqual(['2026-05-04', '2026-05-05', '2026-05-06', '2026-05-07', '2026-05-08', '2026-05-09', '2026-05-10']);
    expect(view.riskInsights.change).toEqual({ highRiskItems: 6, mediumRiskItems: 0, sensitiveItems: -6, externalUsers: 0, externalLinks: 12 });
    expect(view.riskInsights.latest).toMatchObject({ highRiskItems: 18, sampledAt: '2026-05-10T07:00:00.000Z' });
    const sp = view.sharePointStorage;
    expect(sp.last90Days).toHaveLength(90);
    expect(sp.last90Days[0].date).toBe('2026-02-10');
    expect(sp.forecast).toMatchObject({ method: 'least-squares linear regression', slopeBytesPerDay: 10_000, r2: 1, basedOnSamples: 90 });
    expect(sp.forecast!.next90Days[0]).toEqual({ date: '2026-05-11', usedBytes: 1_000_000 + 10_000 * 99 });
    expect(sp.monthlyBudget).toEqual({
      usedBytes: 1_980_000, quotaBytes: 3_000_000, estimatedMonthlyGrowthBytes: 300_000, projectedUsedBytesIn30Days: 1_000_000 + 10_000 * 128,
      monthsUntilQuotaReached: 3.4,
    });
  });

  it('health: critical on a failed last job or suspected ransomware, warning on advisories; one transition per change', () => {
    const { state, transitions } = fold(history());
    // Nightly jobs: partial on day 3 and 20, failed on day 10; then Google Workspace's job fails.
    expect(transitions.map((t) => `${t.previousHealth}>${t.health}`)).toEqual([
      'unknown>healthy', 'healthy>warning', 'warning>healthy', 'healthy>critical', 'critical>healthy', 'healthy>warning', 'warning>healthy', 'healthy>critical',
    ]);
    // Without the Google failure, the open ransomware finding alone makes it critical, and resolving it does not.
    const events = history().filter((e) => (e.data as { product?: string }).product !== 'cloud-backup-google');
    const ransomwareAt = events.findIndex((e) => e.type === 'UnusualActivityReported');
    expect(fold(events.slice(0, ransomwareAt + 1)).state.health).toBe('critical');
    expect(fold(events.slice(0, ransomwareAt + 3)).state.health).toBe('healthy');
    expect(fold(events).state.health).toBe('warning');
    expect(state.health).toBe('critical'); // Google Workspace's last job failed
    const view = renderDashboard(inputs(state));
    if (!('serviceHealth' in view)) throw new Error('expected the full dashboard');
    expect(view.serviceHealth.status).toBe('critical');
    expect(view.serviceHealth.reasons).toEqual(['1 product(s) whose last backup job failed', '1 open service advisory(ies)']);
    expect(view.serviceHealth.openIncidents.map((i) => i.incidentId)).toEqual(['i1']);
    expect(renderDashboard(inputs(undefined))).toMatchObject({ serviceHealth: { status: 'unknown' }, backupStatus: { products: [] }, sharePointStorage: { forecast: null } });
  });

  it('events of other streams (report events) change nothing; report activity is shown as read', () => {
    const f = new DashboardFixtures();
    const report = f.report(C, 'r1', 'ReportGenerated', { reportName: 'Risk insights May', format: 'pdf' }, '2026-05-09T11:00:00.000Z');
    const { state } = fold(history());
    expect(evolveDashboard(state, report, telemetryStreamId(C)).state).toBe(state);
    const reports = [{ activityId: 'a1', activity: 'generated', reportId: 'r1', reportKind: 'template', reportName: 'Risk insights May', format: 'pdf', occurredAt: '2026-05-09T11:00:00.000Z' }];
    const view = renderDashboard(inputs(state, { reports }));
    expect('reportActivity' in view && view.reportActivity).toEqual({ items: reports });
  });

  it('products & subscriptions filter by status; customer management mode shows nothing else', () => {
    const state = fold(history()).state;
    const all = renderDashboard(inputs(state));
    expect(all.productsAndSubscriptions.counts).toEqual({ active: 1, trial: 1, expired: 1 });
    expect(all.productsAndSubscriptions.items.map((s) => [s.serviceCode, s.status, s.serviceState])).toEqual([
      ['cloud-backup-google', 'expired', 'not-started'],
      ['cloud-backup-m365', 'active', 'started'],
      ['policies-m365', 'trial', 'not-started'],
    ]);
    const trials = renderDashboard(inputs(state, { statusFilter: ['trial', 'expired'] }));
    expect(trials.productsAndSubscriptions.items.map((s) => s.subscriptionId)).toEqual(['s3', 's2']);
    const customerManaged = renderDashboard(inputs(state, { managementMode: 'customer' }));
    expect(Object.keys(customerManaged).sort()).toEqual(['accessDisabled', 'customerId', 'generatedAt', 'managementMode', 'organizationName', 'productsAndSubscriptions']);
    expect(customerManaged.accessDisabled).toBe(true);
  });
});
