import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { DEMO_PARTNER_ID } from '@platform/service-kit';
import { makePartner, startTestSystem, type TestSystem } from '../../../../deploy/embedded/testing/embedded-test-system';
import { SAMPLE_CUSTOMER_DOMAIN } from '../demo-telemetry/sample-telemetry';
import { addDays } from './domain/storage-forecast';
import { auth, backupJob, createApiKey, DAY, eventually, expectProblem, HOUR, inviteCustomer, iso } from '../telemetry/testing/reporting-e2e';

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('customer detailed dashboard (e2e)', () => {
  let ts: TestSystem;
  let a1: string;
  let a2: string;
  let b1: string;
  let key: string;
  const admin = () => ts.partnerA.users['global-admin'].token;

  const dashboard = (customerId: string, token: string, query = '') => ts.http().get(`/api/v1/customers/${customerId}/dashboard${query}`).set(auth(token));
  const push = async (kind: string, records: Array<Record<string, unknown>>) => {
    const res = await ts.http().post(`/api/v1/telemetry/${kind}`).set('X-Api-Key', key).send({ batchId: randomUUID(), records });
    expect([res.status, res.body.rejected]).toEqual([200, []]);
  };

  beforeAll(async () => {
    ts = await startTestSystem();
    a1 = await inviteCustomer(ts, admin());
    a2 = await inviteCustomer(ts, admin());
    b1 = await inviteCustomer(ts, ts.partnerB.users['global-admin'].token);
    expect((await ts.http().put(`/api/v1/customers/${a2}/management-mode`).set(auth(admin())).send({ mode: 'customer' })).status).toBe(200);
    key = (await createApiKey(ts, admin())).key;
    await eventually(async () => {
      const { rows } = await ts.pool.query(`SELECT customer_id FROM reporting_customer_directory WHERE status = 'active' AND customer_id = ANY($1)`, [[a1, a2, b1]]);
      expect(rows).toHaveLength(3);
    });
    const today = new Date().toISOString().slice(0, 10);
    await push('backup-jobs', [
      backupJob(a1, { jobId: 'm365-today' }),
      backupJob(a1, { jobId: 'm365-yesterday', startedAt: iso(DAY + 2 * HOUR), endedAt: iso(DAY + HOUR), status: 'partially-succeeded' }),
      backupJob(a1, { jobId: 'google-today', product: 'cloud-backup-google', workload: 'gmail', status: 'failed' }),
    ]);
    await push('unusual-activities', [
      {
        customerId: a1, findingId: 'ua-1', detectedAt: iso(2 * DAY), workspaceType: 'sharepoint-site', workspace: 'https://contoso.sharepoint.com/sites/Finance',
        activity: 'Mass encryption', ransomwareSuspected: true,
        suspiciousFiles: Array.from({ length: 25 }, (_, i) => ({ path: `Shared Documents/file-${i}.locked`, reason: 'Encrypted' })),
      },
      { customerId: a1, findingId: 'ua-old', detectedAt: iso(60 * DAY), workspaceType: 'onedrive', workspace: 'j.doe@contoso.com', activity: 'Deletions', ransomwareSuspected: false, status: 'resolved', suspiciousFiles: [] },
    ]);
    await push('sharepoint-storage', Array.from({ length: 10 }, (_, i) => ({ customerId: a1, date: addDays(today, -9 + i), usedBytes: 1_000_000 + 1_000 * i, quotaBytes: 2_000_000 })));
    await push('risk-counts', [0, 1, 2].map((d) => ({ customerId: a1, sampledAt: iso(d * DAY + HOUR), highRiskItems: 10 - d, mediumRiskItems: 20, sensitiveItems: 30, externalUsers: 4, externalLinks: 5 })));
    await push('policy-scans', [{ customerId: a1, ruleId: 'mfa', ruleName: 'MFA for admins', scannedAt: iso(HOUR), compliant: false, violationsFixed: 2, violationsUnfixed: 1 }]);
    await push('service-health', [{ customerId: a1, incidentId: 'EX-1', service: 'Exchange Online', title: 'Mail delays', severity: 'advisory', status: 'open', startedAt: iso(HOUR), updatedAt: iso(HOUR) }]);
    await push('storage-usage', [{ customerId: a2, product: 'cloud-backup-m365', sampledAt: iso(HOUR), usedBytes: 5 }]);
  });
  afterAll(() => ts?.stop());

  it('every role reads the full dashboard, built from the telemetry', async () => {
    const res = await eventually(async () => {
      const r = await dashboard(a1, ts.partnerA.users.auditor.token);
      expect(r.status).toBe(200);
      expect(r.body.serviceHealth.openIncidents).toHaveLength(1);
      return r;
    });
    const view = res.body;
    expect(view).toMatchObject({ customerId: a1, managementMode: 'partner', accessDisabled: false });
    const m365 = view.backupStatus.products.find((p: { product: string }) => p.product === 'cloud-backup-m365');
    expect(m365).toMatchObject({ lastJob: { jobId: 'm365-today', status: 'succeeded' }, jobsLast30Days: { total: 2, succeeded: 1, partiallySucceeded: 1 }, successRate: 0.5 });
    expect(view.unusualActivities).toMatchObject({ rangeDays: 30, suspiciousWorkspaces: 1, suspiciousSharePointSites: 1, ransomwareSuspected: 1, suspiciousFiles: 25 });
    expect(view.unusualActivities.items).toHaveLength(1);
    expect(view.unusualActivities.items[0]).toMatchObject({ findingId: 'ua-1', suspiciousFileCount: 25 });
    expect(view.unusualActivities.items[0].suspiciousFiles).toHaveLength(20);
    expect(view.policyMonitor).toMatchObject({ compliantRules: 0, nonCompliantRules: 1, fixedViolations: 2, unfixedViolations: 1 });
    expect(view.riskInsights.trend).toHaveLength(3);
    expect(view.riskInsights.change.highRiskItems).toBe(2);
    expect(view.sharePointStorage.last90Days).toHaveLength(10);
    expect(view.sharePointStorage.forecast).toMatchObject({ method: 'least-squares linear regression', slopeBytesPerDay: 1000 });
    expect(view.sharePointStorage.forecast.next90Days).toHaveLength(90);
    expect(view.sharePointStorage.monthlyBudget).toMatchObject({ quotaBytes: 2_000_000, estimatedMonthlyGrowthBytes: 30_000 });
    expect(view.serviceHealth.status).toBe('critical');
    expect(view.reportActivity.items).toEqual([]);

    for (const role of ['global-admin', 'admin-agent'] as const) {
      const r = await dashboard(a1, ts.partnerA.users[role].token);
      expect(r.status).toBe(200);
      expect({ ...r.body, generatedAt: null }).toEqual({ ...view, generatedAt: null });
    }
    const wider = await dashboard(a1, admin(), '?unusualActivityDays=90');
    expect(wider.body.unusualActivities.suspiciousWorkspaces).toBe(2);
  });

  it('publishes the customer’s health: the customers list sorts by it', async () => {
    const { rows } = await eventually(async () => {
      const r = await ts.pool.query(`SELECT data FROM events WHERE stream_id = $1 ORDER BY global_position`, [`health-${a1}`]);
      expect(r.rows.at(-1)?.data).toMatchObject({ health: 'critical' });
      return r;
    });
    expect(rows[0].data.previousHealth).toBe('unknown');
    await eventually(async () => {
      const list = await ts.http().get('/api/v1/customers?sort=health').set(auth(admin()));
      expect(list.status).toBe(200);
      expect(list.body.items[0]).toMatchObject({ id: a1, health: 'critical' });
    });
  });

  it('products & subscriptions come from the subscriptions service and filter by status', async () => {
    const added = await ts
      .http()
      .post(`/api/v1/customers/${a1}/services`)
      .set(auth(admin()))
      .set('Idempotency-Key', randomUUID())
      .send({ services: [{ serviceCode: 'cloud-backup-m365', plan: 'paid', quantity: 50, termEndsAt: '2030-01-01T00:00:00Z', pooled: false }] });
    expect(added.status).toBe(201);
    const view = await eventually(async () => {
      const r = await dashboard(a1, admin());
      expect(r.body.productsAndSubscriptions.items).toHaveLength(1);
      return r.body;
    });
    expect(view.productsAndSubscriptions.items[0]).toMatchObject({ serviceCode: 'cloud-backup-m365', plan: 'paid', quantity: 50, status: 'active', serviceState: 'not-started' });
    expect(view.productsAndSubscriptions.counts).toEqual({ active: 1, trial: 0, expired: 0 });
    const trials = await dashboard(a1, admin(), '?status=trial&status=expired');
    expect(trials.body.productsAndSubscriptions).toMatchObject({ statusFilter: ['trial', 'expired'], items: [], counts: { active: 1 } });
    expectProblem(await dashboard(a1, admin(), '?status=gone'), 400, 'REQUEST.INVALID');
    expectProblem(await dashboard(a1, admin(), '?unusualActivityDays=0'), 400, 'REQUEST.INVALID');
  });

  it('in customer management mode only products & subscriptions come back, and nothing is exported', async () => {
    const res = await dashboard(a2, ts.partnerA.users.auditor.token);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['accessDisabled', 'customerId', 'generatedAt', 'managementMode', 'organizationName', 'productsAndSubscriptions']);
    expect(res.body).toMatchObject({ managementMode: 'customer', accessDisabled: true });
    expectProblem(await ts.http().get(`/api/v1/customers/${a2}/dashboard/suspicious-items`).set(auth(admin())), 409, 'CUSTOMER.CUSTOMER_MANAGED');
  });

  it('exports the suspicious items as JSON and as XLSX, cell by cell', async () => {
    const json = await ts.http().get(`/api/v1/customers/${a1}/dashboard/suspicious-items`).set(auth(ts.partnerA.users.auditor.token));
    expect(json.status).toBe(200);
    expect(json.body.findings).toHaveLength(1);
    expect(json.body.findings[0].suspiciousFiles).toHaveLength(25);
    const res = await ts
      .http()
      .get(`/api/v1/customers/${a1}/dashboard/suspicious-items?format=xlsx&unusualActivityDays=90`)
      .set(auth(ts.partnerA.users['admin-agent'].token))
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="suspicious-items-${a1}.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as ArrayBuffer);
    const sheet = workbook.getWorksheet('Suspicious items')!;
    expect(sheet.rowCount).toBe(1 + 25 + 1);
    const row = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    expect(row(1)[0]).toBe('Workspace type');
    expect(row(2)).toEqual(['SharePoint site', 'https://contoso.sharepoint.com/sites/Finance', 'Mass encryption', expect.any(String), 'Yes', 'open', 'Shared Documents/file-0.locked', 'Encrypted', '']);
    expect(row(27).slice(0, 6)).toEqual(['OneDrive', 'j.doe@contoso.com', 'Deletions', expect.any(String), 'No', 'resolved']);
    expectProblem(await ts.http().get(`/api/v1/customers/${a1}/dashboard/suspicious-items?format=pdf`).set(auth(admin())), 400, 'REQUEST.INVALID');
  });

  it('the demo partner’s sample customer gets months of telemetry (embedded mode)', async () => {
    const demo = makePartner(DEMO_PARTNER_ID);
    const sample = await inviteCustomer(ts, demo.users['global-admin'].token, true, SAMPLE_CUSTOMER_DOMAIN);
    // The sample history is projected in several batches: wait for the whole of it.
    const view = await eventually(async () => {
      const r = await dashboard(sample, demo.users.auditor.token);
      expect(r.status).toBe(200);
      expect(r.body.sharePointStorage.last90Days).toHaveLength(90);
      expect(r.body.serviceHealth.status).toBe('warning');
      expect(r.body.unusualActivities.items.length).toBeGreaterThan(0);
      expect(r.body.policyMonitor.nonCompliantRules).toBeGreaterThan(0);
      expect(r.body.serviceHealth.openIncidents.map((i: { incidentId: string }) => i.incidentId)).toEqual(['SP-77310']);
      expect(r.body.backupStatus.products.map((p: { product: string }) => p.product)).toEqual(['cloud-backup-dynamics365', 'cloud-backup-m365']);
      return r.body;
    }, 30_000);
    expect(view.sharePointStorage.forecast.method).toBe('least-squares linear regression');
    expect(view.riskInsights.trend).toHaveLength(7);
    // Another partner's customer with the same domain gets nothing.
    const lookalike = await inviteCustomer(ts, admin(), true, SAMPLE_CUSTOMER_DOMAIN);
    await eventually(async () => expect((await dashboard(lookalike, admin())).status).toBe(200));
    expect((await ts.pool.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [`telemetry-${lookalike}`])).rows[0].n).toBe(0);
  });

  it('tenant isolation: another partner’s, an unknown or a malformed customer is 404; no token is 401', async () => {
    const other = ts.partnerB.users['global-admin'].token;
    expectProblem(await dashboard(a1, other), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await ts.http().get(`/api/v1/customers/${a1}/dashboard/suspicious-items?format=xlsx`).set(auth(other)), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await dashboard(randomUUID(), admin()), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await dashboard('not-a-customer', admin()), 404, 'CUSTOMER.NOT_FOUND');
    expect((await dashboard(b1, other)).status).toBe(200);
    expectProblem(await ts.http().get(`/api/v1/customers/${a1}/dashboard`), 401);
  });
});
