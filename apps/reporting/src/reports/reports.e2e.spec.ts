import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { integrationEventRegistry, sourceOf } from '@platform/contracts';
import { uuidv7 } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import { EVENT_STORE, MESSAGE_TRANSPORT, type MessageTransport } from '@platform/service-kit';
import { startTestSystem, type TestSystem } from '../../../../deploy/embedded/testing/embedded-test-system';
import { parseCsv } from '@platform/testing';
import { pdfPages } from '../exports/testing/pdf-text';
import { ReportScheduler } from '../report-schedules/infrastructure/report-scheduler';
import { ReportingModule } from '../reporting.module';
import {
  activeCustomer,
  auth,
  binary,
  bodyOf,
  eventually,
  expectProblem,
  idem,
  waitForDirectory,
} from './testing/reporting-e2e';

const csvRows = parseCsv;

const BASE = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const day = (offsetDays: number, hour = 1) => new Date(BASE - offsetDays * 86_400_000 - (24 - hour) * 3_600_000).toISOString();

describe('reporting: templates, reports, exports and schedules (F15–F17)', () => {
  let ts: TestSystem;
  let A: TestSystem['partnerA'];
  let B: TestSystem['partnerB'];
  let c1: { id: string; name: string; contactEmail: string };
  let c2: { id: string; name: string; contactEmail: string };
  let cB: { id: string; name: string; contactEmail: string };
  const jobs: Array<Record<string, unknown>> = [];

  const get = (path: string, token: string) => ts.http().get(path).set(auth(token));
  const getFile = (path: string, token?: string) => {
    const r = ts.http().get(path).buffer(true).parse(binary);
    return token ? r.set(auth(token)) : r;
  };

  beforeAll(async () => {
    ts = await startTestSystem();
    A = ts.partnerA;
    B = ts.partnerB;
    c1 = await activeCustomer(ts, A.users['global-admin'].token, 'Café Zürich, "Alpha" Ltd');
    c2 = await activeCustomer(ts, A.users['global-admin'].token);
    cB = await activeCustomer(ts, B.users['global-admin'].token);
    for (const c of [c1, c2, cB]) await waitForDirectory(ts, c.id, (d) => d?.status === 'active');

    const key = await ts.http().post('/api/v1/api-keys').set(auth(A.users['global-admin'].token)).set(idem()).send({ name: 'backup' });
    expect(key.status).toBe(201);
    const apiKey = bodyOf<{ key: string }>(key).key;
    jobs.push(
      { customerId: c1.id, jobId: 'job-1', product: 'cloud-backup-m365', workload: 'exchange', startedAt: day(3, 1), endedAt: day(3, 2), status: 'succeeded', items: 120, bytes: 4096 },
      { customerId: c1.id, jobId: 'job-2', product: 'cloud-backup-m365', workload: 'sharepoint', startedAt: day(2, 1), endedAt: day(2, 2), status: 'failed', items: 0, bytes: 0 },
      { customerId: c1.id, jobId: 'job-3', product: 'cloud-backup-google', workload: 'gmail', startedAt: day(1, 1), endedAt: day(1, 2), status: 'partially-succeeded', items: 7, bytes: 512 },
      { customerId: c2.id, jobId: 'job-4', product: 'cloud-backup-m365', workload: 'exchange', startedAt: day(1, 3), endedAt: day(1, 4), status: 'succeeded', items: 9, bytes: 900 },
    );
    const ingested = await ts.http().post('/api/v1/telemetry/backup-jobs').set('X-Api-Key', apiKey).set(idem()).send({ batchId: randomUUID(), records: jobs });
    expect(bodyOf<{ accepted: number }>(ingested).accepted).toBe(4);
    const samples = [
      { customerId: c1.id, product: 'cloud-backup-m365', sampledAt: day(2), usedBytes: 1073741824, quotaBytes: 10737418240 },
      { customerId: c1.id, product: 'cloud-backup-m365', sampledAt: day(1), usedBytes: 2147483648, quotaBytes: 10737418240 },
      { customerId: c1.id, product: 'cloud-backup-google', sampledAt: day(1), usedBytes: 536870912 },
    ];
    const stored = await ts.http().post('/api/v1/telemetry/storage-usage').set('X-Api-Key', apiKey).set(idem()).send({ batchId: randomUUID(), records: samples });
    if (bodyOf<{ accepted: number }>(stored).accepted !== 3) throw new Error(`storage-usage ingestion answered ${stored.status}: ${stored.text}`);
    await eventually(async () => {
      const { rows } = await ts.pool.query<{ j: number; s: number }>(
        'SELECT (SELECT count(*)::int FROM reporting_report_job_runs) AS j, (SELECT count(*)::int FROM reporting_report_storage_samples) AS s',
      );
      return rows[0].j === 4 && rows[0].s === 3;
    }, 'the report read models');
  }, 120_000);

  afterAll(async () => {
    await ts?.stop();
  });

  it('documents every reporting route in /docs (bodies, query parameters, public download)', async () => {
    const doc = bodyOf<{ paths: Record<string, Record<string, { security?: unknown; parameters?: Array<{ name: string }>; responses: Record<string, unknown> }>> }>(
      await ts.http().get('/docs-json'),
    );
    const ops: Array<[string, string]> = [
      ['/api/v1/report-templates', 'get'],
      ['/api/v1/report-templates', 'post'],
      ['/api/v1/report-templates/{templateId}', 'get'],
      ['/api/v1/report-templates/{templateId}', 'put'],
      ['/api/v1/report-templates/{templateId}', 'delete'],
      ['/api/v1/customers/{id}/reports', 'post'],
      ['/api/v1/customers/{id}/reports', 'get'],
      ['/api/v1/customers/{id}/reports/storage-consumption', 'get'],
      ['/api/v1/customers/{id}/reports/job-status', 'get'],
      ['/api/v1/reports/customer-information', 'get'],
      ['/api/v1/reports/job-status', 'get'],
      ['/api/v1/reports/{reportId}/download', 'get'],
      ['/api/v1/reports/{reportId}/file', 'get'],
      ['/api/v1/report-schedules', 'get'],
      ['/api/v1/report-schedules', 'post'],
      ['/api/v1/report-schedules/{scheduleId}', 'delete'],
    ];
    for (const [path, method] of ops) expect([path, method, Boolean(doc.paths[path]?.[method])]).toEqual([path, method, true]);
    const storage = doc.paths['/api/v1/customers/{id}/reports/storage-consumption'].get;
    expect((storage.parameters ?? []).map((p) => p.name)).toEqual(expect.arrayContaining(['id', 'format', 'details', 'fileName']));
    expect(Object.keys(storage.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(doc.paths['/api/v1/reports/{reportId}/download'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/report-templates'].post.security).toBeUndefined();
  });

  describe('exports now (F16, F17)', () => {
    it('job status of a customer as CSV with details, file name sanitised and announced in RFC 5987 form', async () => {
      const res = await getFile(
        `/api/v1/customers/${c1.id}/reports/job-status?format=csv&details=true&fileName=${encodeURIComponent('../../Jobs März\u0000.csv')}`,
        A.users['auditor'].token,
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="Jobs M_rz.csv"; filename*=UTF-8''Jobs%20M%C3%A4rz.csv`);
      const rows = csvRows((res.body as Buffer).toString('utf8'));
      expect(rows[0]).toEqual(['Job status by product']);
      expect(rows[1]).toEqual(['Product', 'Workload', 'Jobs', 'Succeeded', 'Partially succeeded', 'Failed', 'Canceled', 'Last job ended', 'Last status']);
      expect(rows.slice(2, 5)).toEqual([
        ['Cloud Backup for Google Workspace', 'gmail', '1', '0', '1', '0', '0', jobs[2].endedAt, 'partially-succeeded'],
        ['Cloud Backup for Microsoft 365', 'exchange', '1', '1', '0', '0', '0', jobs[0].endedAt, 'succeeded'],
        ['Cloud Backup for Microsoft 365', 'sharepoint', '1', '0', '0', '1', '0', jobs[1].endedAt, 'failed'],
      ]);
      expect(rows[5]).toEqual(['']);
      expect(rows[6]).toEqual(['Jobs']);
      expect(rows[7]).toEqual(['Job', 'Product', 'Workload', 'Started', 'Ended', 'Status', 'Items', 'Bytes']);
      // Newest first; c2's job never appears in c1's report.
      expect(rows.slice(8)).toEqual(
        [jobs[2], jobs[1], jobs[0]].map((j) => [
          j.jobId,
          j.product === 'cloud-backup-m365' ? 'Cloud Backup for Microsoft 365' : 'Cloud Backup for Google Workspace',
          j.workload,
          j.startedAt,
          j.endedAt,
          j.status,
          String(j.items),
          String(j.bytes),
        ]),
      );
    });

    it('storage consumption as XLSX, with and without details, read back cell by cell', async () => {
      const res = await getFile(`/api/v1/customers/${c1.id}/reports/storage-consumption?format=xlsx&details=true`, A.users['admin-agent'].token);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toContain('filename="storage-consumption-cafe-zurich-alpha-ltd.xlsx"');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Storage consumption', 'Storage samples']);
      const summary = wb.getWorksheet('Storage consumption')!;
      expect(summary.getRow(1).values).toEqual([undefined, 'Product', 'Used (GB)', 'Quota (GB)', 'Used %', 'Sampled']);
      expect(summary.getRow(2).values).toEqual([undefined, 'Cloud Backup for Google Workspace', 0.5, undefined, undefined, new Date(day(1))]);
      expect(summary.getRow(3).values).toEqual([undefined, 'Cloud Backup for Microsoft 365', 2, 10, 20, new Date(day(1))]);
      const details = wb.getWorksheet('Storage samples')!;
      expect(details.rowCount).toBe(4);
      expect(details.getRow(4).values).toEqual([undefined, 'Cloud Backup for Microsoft 365', new Date(day(2)), 1073741824, 10737418240]);

      const plain = await getFile(`/api/v1/customers/${c1.id}/reports/storage-consumption?format=xlsx&details=false`, A.users['auditor'].token);
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(plain.body as unknown as ArrayBuffer);
      expect(wb2.worksheets.map((w) => w.name)).toEqual(['Storage consumption']);
    });

    it('job status as PDF: a table with its header and every job', async () => {
      const res = await getFile(`/api/v1/customers/${c1.id}/reports/job-status?format=pdf&details=true&product=cloud-backup-m365`, A.users['auditor'].token);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const lines = pdfPages(res.body as Buffer).flat();
      expect(lines).toContainEqual(['Job', 'Product', 'Workload', 'Started', 'Ended', 'Status', 'Items', 'Bytes']);
      expect(lines).toContainEqual(['job-2', 'Cloud Backup for Microsoft 365', 'sharepoint', jobs[1].startedAt, jobs[1].endedAt, 'failed', '0', '0']);
      expect(lines.some((l) => l[0] === 'job-3')).toBe(false); // other product filtered out
    });

    it('over all customers: customer information and job status, only the caller partner’s customers', async () => {
      const info = await getFile('/api/v1/reports/customer-information?format=csv&details=true', A.users['auditor'].token);
      expect(info.status).toBe(200);
      const rows = csvRows((info.body as Buffer).toString('utf8'));
      expect(rows[0].slice(0, 8)).toEqual(['Organization', 'Primary domain', 'Country', 'Status', 'Management mode', 'Storage used (GB)', 'Last backup job', 'Last backup ended']);
      const c1Row = rows.find((r) => r[0] === c1.name)!;
      expect(c1Row.slice(2, 8)).toEqual(['IT', 'active', 'partner', '2.5', 'partially-succeeded', jobs[2].endedAt]);
      expect(c1Row[8]).toBe(c1.contactEmail);
      expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining([c1.name, c2.name]));
      expect(rows.map((r) => r[0])).not.toContain(cB.name);
      expect(rows).toHaveLength(3);

      const all = await getFile('/api/v1/reports/job-status?format=csv&details=true', A.users['global-admin'].token);
      const jobRows = csvRows((all.body as Buffer).toString('utf8'));
      const jobsSection = jobRows.slice(jobRows.findIndex((r) => r[0] === 'Jobs') + 2);
      expect(jobsSection.map((r) => [r[0], r[1]])).toEqual([
        [c2.name, 'job-4'],
        [c1.name, 'job-3'],
        [c1.name, 'job-2'],
        [c1.name, 'job-1'],
      ]);
      const other = await getFile('/api/v1/reports/job-status?format=csv&details=true', B.users['auditor'].token);
      expect((other.body as Buffer).toString('utf8')).not.toContain('job-1');
    });

    it('validation 400 with fields; another partner’s or an unknown customer 404', async () => {
      expectProblem(await get(`/api/v1/customers/${c1.id}/reports/job-status?format=docx`, A.users['auditor'].token), 400, undefined, ['format']);
      expectProblem(await get(`/api/v1/customers/${c1.id}/reports/job-status?format=csv&details=maybe`, A.users['auditor'].token), 400, undefined, ['details']);
      expectProblem(await get(`/api/v1/reports/job-status?format=csv&product=floppy`, A.users['auditor'].token), 400, undefined, ['product']);
      expectProblem(await get(`/api/v1/reports/customer-information`, A.users['auditor'].token), 400, undefined, ['format']);
      expectProblem(await get(`/api/v1/customers/${c1.id}/reports/storage-consumption?format=csv`, B.users['global-admin'].token), 404, 'CUSTOMER.NOT_FOUND');
      expectProblem(await get(`/api/v1/customers/${uuidv7()}/reports/job-status?format=csv`, A.users['auditor'].token), 404, 'CUSTOMER.NOT_FOUND');
      expectProblem(await get(`/api/v1/customers/not-a-uuid/reports/job-status?format=csv`, A.users['auditor'].token), 404, 'CUSTOMER.NOT_FOUND');
      expect((await ts.http().get(`/api/v1/reports/customer-information?format=csv`)).status).toBe(401);
    });
  });

  describe('templates (F15)', () => {
    let t1: string;
    let fixed: string;

    it('create: writers only, validated, fixed customers must be the partner’s', async () => {
      const admin = A.users['global-admin'].token;
      expectProblem(await ts.http().post('/api/v1/report-templates').set(auth(A.users['auditor'].token)).set(idem()).send({ name: 'x', sections: ['job-status'] }), 403);
      expectProblem(await ts.http().post('/api/v1/report-templates').set(auth(admin)).set(idem()).send({ name: '', sections: ['bogus'] }), 400, undefined, ['name', 'sections']);
      expectProblem(
        await ts.http().post('/api/v1/report-templates').set(auth(admin)).set(idem()).send({ name: 'Mine', sections: ['job-status'], customerIds: [cB.id] }),
        400,
        'REPORT_TEMPLATE.INVALID',
        ['customerIds.0'],
      );
      const created = await ts
        .http()
        .post('/api/v1/report-templates')
        .set(auth(A.users['admin-agent'].token))
        .set(idem())
        .send({ name: 'Monthly backup summary', sections: ['storage-consumption', 'job-status', 'customer-information'], details: true });
      expect(created.status).toBe(201);
      t1 = bodyOf<{ id: string }>(created).id;
      expect(bodyOf(created)).toMatchObject({ name: 'Monthly backup summary', sections: ['customer-information', 'job-status', 'storage-consumption'], details: true, customerIds: [] });
      const f = await ts.http().post('/api/v1/report-templates').set(auth(admin)).set(idem()).send({ name: 'Alpha only', sections: ['job-status'], customerIds: [c1.id] });
      expect(f.status).toBe(201);
      fixed = bodyOf<{ id: string }>(f).id;
    });

    it('list (withoutCustomers for the generate dialog), get, update, delete; other partners see nothing', async () => {
      const auditor = A.users['auditor'].token;
      await eventually(async () => bodyOf<{ items: unknown[] }>(await get('/api/v1/report-templates', auditor)).items.length === 2, 'the template list');
      const offered = bodyOf<{ items: Array<{ id: string }> }>(await get('/api/v1/report-templates?withoutCustomers=true', auditor)).items;
      expect(offered.map((t) => t.id)).toEqual([t1]);
      expect(bodyOf<{ items: unknown[] }>(await get('/api/v1/report-templates', B.users['global-admin'].token)).items).toEqual([]);
      expect(bodyOf(await get(`/api/v1/report-templates/${t1}`, auditor))).toMatchObject({ id: t1, name: 'Monthly backup summary' });
      expectProblem(await get(`/api/v1/report-templates/${t1}`, B.users['global-admin'].token), 404, 'REPORT_TEMPLATE.NOT_FOUND');

      const body = { name: 'Monthly summary', sections: ['job-status', 'storage-consumption'], details: true };
      expectProblem(await ts.http().put(`/api/v1/report-templates/${t1}`).set(auth(B.users['global-admin'].token)).send(body), 404);
      expectProblem(await ts.http().put(`/api/v1/report-templates/${t1}`).set(auth(auditor)).send(body), 403);
      const updated = await ts.http().put(`/api/v1/report-templates/${t1}`).set(auth(A.users['admin-agent'].token)).send(body);
      expect(updated.status).toBe(200);
      expect(bodyOf(updated)).toMatchObject({ name: 'Monthly summary', sections: ['job-status', 'storage-consumption'] });
      expect(new Date(bodyOf<{ updatedAt: string }>(updated).updatedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

      const gone = await ts.http().post('/api/v1/report-templates').set(auth(A.users['global-admin'].token)).set(idem()).send({ name: 'Temp', sections: ['job-status'] });
      const goneId = bodyOf<{ id: string }>(gone).id;
      expectProblem(await ts.http().delete(`/api/v1/report-templates/${goneId}`).set(auth(B.users['global-admin'].token)), 404);
      expect((await ts.http().delete(`/api/v1/report-templates/${goneId}`).set(auth(A.users['global-admin'].token))).status).toBe(204);
      expectProblem(await get(`/api/v1/report-templates/${goneId}`, auditor), 404, 'REPORT_TEMPLATE.NOT_FOUND');
    });

    describe('generating a report for a customer', () => {
      const generate = (customerId: string, token: string, body: Record<string, unknown>) =>
        ts.http().post(`/api/v1/customers/${customerId}/reports`).set(auth(token)).set(idem()).send(body);

      it('refuses auditors, fixed-customer templates, disabled service reports and unverified addresses', async () => {
        const admin = A.users['global-admin'].token;
        const partnerRecipient = [{ email: 'ops@partner.example.com', kind: 'partner' }];
        expectProblem(await generate(c1.id, A.users['auditor'].token, { templateId: t1, format: 'pdf', recipients: partnerRecipient }), 403);
        expectProblem(await generate(c1.id, admin, { templateId: t1, format: 'doc', recipients: [] }), 400, undefined, ['format', 'recipients']);
        expectProblem(await generate(c1.id, admin, { templateId: fixed, format: 'pdf', recipients: partnerRecipient }), 409, 'REPORT.TEMPLATE_HAS_CUSTOMERS');
        expectProblem(await generate(c1.id, B.users['global-admin'].token, { templateId: t1, format: 'pdf', recipients: partnerRecipient }), 404, 'CUSTOMER.NOT_FOUND');
        expectProblem(await generate(cB.id, B.users['global-admin'].token, { templateId: t1, format: 'pdf', recipients: partnerRecipient }), 404, 'REPORT_TEMPLATE.NOT_FOUND');
        const customerRecipient = [{ email: 'Reports@Alpha.example.com', kind: 'customer' }];
        expectProblem(await generate(c1.id, admin, { templateId: t1, format: 'pdf', recipients: customerRecipient }), 409, 'REPORT.SERVICE_REPORTS_DISABLED');

        const patched = await ts
          .http()
          .patch(`/api/v1/customers/${c1.id}`)
          .set(auth(admin))
          .send({ serviceReports: { enabled: true, recipients: ['reports@alpha.example.com'] } });
        expect(patched.status).toBe(200);
        await waitForDirectory(ts, c1.id, (d) => d?.serviceReports.enabled === true);
        const unverified = expectProblem(await generate(c1.id, admin, { templateId: t1, format: 'pdf', recipients: customerRecipient }), 409, 'REPORT.RECIPIENT_NOT_VERIFIED');
        expect(unverified.detail).toContain('not verified yet: reports@alpha.example.com');
      });

      it('sends to verified recipients: ReportGenerated with a signed link that serves the file; activity recorded', async () => {
        // The notifications service announces the verified address.
        const transport = ts.system.app.get<MessageTransport>(MESSAGE_TRANSPORT, { strict: false });
        const verified = integrationEventRegistry.lookup('ReportRecipientVerified', 1)!;
        await transport.publisher.publish([
          {
            id: uuidv7(),
            type: verified.type,
            version: 1,
            source: sourceOf(verified.producer),
            time: new Date().toISOString(),
            subject: c1.id,
            partnerId: A.partnerId,
            correlationId: uuidv7(),
            actor: { type: 'customer', id: c1.id },
            data: { email: 'reports@alpha.example.com' },
          },
        ]);
        await eventually(async () => (await ts.pool.query('SELECT 1 FROM reporting_verified_recipients WHERE customer_id = $1', [c1.id])).rowCount === 1, 'the verified address');

        const request = {
          templateId: t1,
          format: 'xlsx',
          fileName: 'Alpha/summary',
          recipients: [
            { email: 'Reports@Alpha.example.com', kind: 'customer' },
            { email: 'ops@partner.example.com', kind: 'partner' },
            { email: 'OPS@partner.example.com', kind: 'partner' },
          ],
        };
        const key = randomUUID();
        const send = () => ts.http().post(`/api/v1/customers/${c1.id}/reports`).set(auth(A.users['admin-agent'].token)).set('Idempotency-Key', key).send(request);
        const res = await send();
        expect(res.status).toBe(201);
        const report = bodyOf<{ id: string; downloadLink: string; fileName: string; recipients: unknown[] }>(res);
        // A retry with the same Idempotency-Key answers the first answer and generates nothing more.
        const retried = await send();
        expect(bodyOf<{ id: string }>(retried).id).toBe(report.id);
        const generated = await ts.pool.query(`SELECT count(*)::int AS n FROM events WHERE type = 'ReportGenerated' AND stream_id LIKE 'report-%'`);
        expect(generated.rows[0].n).toBe(1);
        expect(report.fileName).toBe('Alpha summary.xlsx');
        expect(report.recipients).toEqual([
          { email: 'reports@alpha.example.com', kind: 'customer' },
          { email: 'ops@partner.example.com', kind: 'partner' },
        ]);

        const store = ts.system.app.select(ReportingModule).get<EventStore>(EVENT_STORE, { strict: false });
        const events = await store.readStream(`report-${report.id}`);
        expect(events.map((e) => e.type)).toEqual(['ReportRequested', 'ReportGenerated']);
        expect(events[1].data).toEqual({
          reportId: report.id,
          templateId: t1,
          reportName: 'Monthly summary',
          format: 'xlsx',
          downloadLink: report.downloadLink,
          recipients: report.recipients,
          locale: 'it',
        });
        expect(events[1].metadata).toMatchObject({ partnerId: A.partnerId, customerId: c1.id, actor: { type: 'user', id: A.users['admin-agent'].userId } });
        // The relay announces it on reporting.events.v1, keyed by the customer (notifications emails the link).
        await eventually(
          async () =>
            (
              await ts.pool.query(
                `SELECT 1 FROM inprocess_messages WHERE topic = 'reporting.events.v1' AND message_key = $1 AND headers::text LIKE '%ReportGenerated%'`,
                [c1.id],
              )
            ).rowCount === 1,
          'ReportGenerated on reporting.events.v1',
        );

        // The link works without a token; the file holds the template's sections.
        const link = new URL(report.downloadLink);
        const file = await getFile(`${link.pathname}${link.search}`);
        expect(file.status).toBe(200);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(file.body as unknown as ArrayBuffer);
        expect(wb.worksheets.map((w) => w.name)).toEqual(['Job status by product', 'Jobs', 'Storage consumption', 'Storage samples']);
        expect(wb.getWorksheet('Jobs')!.getRow(2).getCell(1).value).toBe('job-3');

        const forged = new URL(report.downloadLink);
        forged.searchParams.set('expires', String(Number(forged.searchParams.get('expires')) + 60));
        expectProblem(await ts.http().get(`${forged.pathname}${forged.search}`), 404, 'REPORT.NOT_FOUND');
        expectProblem(await ts.http().get(`${link.pathname}`), 404, 'REPORT.NOT_FOUND');

        expect((await getFile(`/api/v1/reports/${report.id}/file`, A.users['auditor'].token)).status).toBe(200);
        expectProblem(await get(`/api/v1/reports/${report.id}/file`, B.users['auditor'].token), 404, 'REPORT.NOT_FOUND');

        const activity = await eventually(async () => {
          const items = bodyOf<{ items: Array<{ activity: string; reportKind: string }> }>(await get(`/api/v1/customers/${c1.id}/reports`, A.users['auditor'].token)).items;
          return items.some((i) => i.activity === 'generated') ? items : undefined;
        }, 'the report activity');
        expect(activity[0]).toMatchObject({ activity: 'generated', reportId: report.id, reportName: 'Monthly summary', format: 'xlsx', recipientCount: 2 });
        expect(activity.filter((i) => i.activity === 'exported').map((i) => i.reportKind)).toEqual(expect.arrayContaining(['job-status', 'storage-consumption']));
        expectProblem(await get(`/api/v1/customers/${c1.id}/reports`, B.users['auditor'].token), 404, 'CUSTOMER.NOT_FOUND');
      });
    });
  });

  describe('schedules (F17)', () => {
    const body = { name: 'Weekly jobs', reportKind: 'job-status', format: 'xlsx', recipients: ['ops@partner.example.com'], frequency: 'weekly', time: '08:00', timeZone: 'Europe/Rome', dayOfWeek: 1 };

    it('validates the zone and recurrence; writers only', async () => {
      const admin = A.users['global-admin'].token;
      const post = (b: Record<string, unknown>, token = admin) => ts.http().post('/api/v1/report-schedules').set(auth(token)).set(idem()).send(b);
      expectProblem(await post(body, A.users['auditor'].token), 403);
      expectProblem(await post({ ...body, timeZone: 'Europe/Atlantis' }), 400, 'REPORT_SCHEDULE.INVALID', ['timeZone']);
      expectProblem(await post({ ...body, dayOfWeek: undefined }), 400, 'REPORT_SCHEDULE.INVALID', ['dayOfWeek']);
      expectProblem(await post({ ...body, time: '8am', recipients: ['nobody'] }), 400, undefined, ['time', 'recipients']);
      expectProblem(await post({ ...body, reportKind: 'customer-information', product: 'cloud-backup-m365' }), 400, 'REPORT_SCHEDULE.INVALID', ['product']);
    });

    it('create, list with the next run in the zone, delete; tenant isolated', async () => {
      const admin = A.users['global-admin'].token;
      const created = await ts.http().post('/api/v1/report-schedules').set(auth(A.users['admin-agent'].token)).set(idem()).send(body);
      expect(created.status).toBe(201);
      const schedule = bodyOf<{ id: string; nextRunAt: string }>(created);
      const next = new Date(schedule.nextRunAt);
      expect(next.getTime()).toBeGreaterThan(Date.now() - 5_000);
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('Mon 08:00');

      const listed = await eventually(async () => {
        const items = bodyOf<{ items: Array<{ id: string; nextRunAt: string }> }>(await get('/api/v1/report-schedules', A.users['auditor'].token)).items;
        return items.length === 1 ? items : undefined;
      }, 'the schedule list');
      expect(listed[0]).toMatchObject({ id: schedule.id, nextRunAt: schedule.nextRunAt, timeZone: 'Europe/Rome', dayOfWeek: 1, lastPeriod: null });
      expect(bodyOf<{ items: unknown[] }>(await get('/api/v1/report-schedules', B.users['auditor'].token)).items).toEqual([]);

      expectProblem(await ts.http().delete(`/api/v1/report-schedules/${schedule.id}`).set(auth(B.users['global-admin'].token)), 404, 'REPORT_SCHEDULE.NOT_FOUND');
      expectProblem(await ts.http().delete(`/api/v1/report-schedules/${schedule.id}`).set(auth(A.users['auditor'].token)), 403);
      expect((await ts.http().delete(`/api/v1/report-schedules/${schedule.id}`).set(auth(admin))).status).toBe(204);
      expectProblem(await ts.http().delete(`/api/v1/report-schedules/${schedule.id}`).set(auth(admin)), 404, 'REPORT_SCHEDULE.NOT_FOUND');
      await eventually(async () => bodyOf<{ items: unknown[] }>(await get('/api/v1/report-schedules', admin)).items.length === 0, 'the schedule to go');
    });

    it('a due schedule exports once: ScheduledReportExported keyed by the partner, a working link, partner-level activity', async () => {
      const created = await ts
        .http()
        .post('/api/v1/report-schedules')
        .set(auth(A.users['global-admin'].token))
        .set(idem())
        .send({ ...body, name: 'Daily info', reportKind: 'customer-information', format: 'csv', frequency: 'daily', dayOfWeek: undefined });
      const id = bodyOf<{ id: string }>(created).id;
      await eventually(async () => (await ts.pool.query('SELECT 1 FROM reporting_report_schedules WHERE schedule_id = $1', [id])).rowCount === 1, 'the schedule row');
      // Make it due now (as if its time had come); the service's scheduler or this call fires it, once.
      await ts.pool.query(`UPDATE reporting_report_schedules SET next_fire_at = now() - interval '1 minute' WHERE schedule_id = $1`, [id]);
      const scheduler = ts.system.app.get(ReportScheduler, { strict: false });
      const period = await eventually(async () => {
        await scheduler.runDue();
        return (await ts.pool.query<{ last_period: string | null }>('SELECT last_period FROM reporting_report_schedules WHERE schedule_id = $1', [id])).rows[0].last_period;
      }, 'the schedule to fire');
      await scheduler.runDue();
      const store = ts.system.app.select(ReportingModule).get<EventStore>(EVENT_STORE, { strict: false });
      const { events } = await store.readAll({ filter: { eventTypes: ['ScheduledReportExported'] } });
      const mine = events.filter((e) => (e.data as { scheduleId: string }).scheduleId === id);
      expect(mine).toHaveLength(1);
      expect(mine[0].data).toMatchObject({ reportKind: 'customer-information', format: 'csv', period, recipients: [{ email: 'ops@partner.example.com' }] });
      await eventually(
        async () =>
          (
            await ts.pool.query(
              `SELECT 1 FROM inprocess_messages WHERE topic = 'reporting.events.v1' AND message_key = $1 AND headers::text LIKE '%ScheduledReportExported%'`,
              [A.partnerId],
            )
          ).rowCount === 1,
        'ScheduledReportExported on reporting.events.v1',
      );
      const link = new URL((mine[0].data as { downloadLink: string }).downloadLink);
      const file = await getFile(`${link.pathname}${link.search}`);
      expect(file.status).toBe(200);
      const rows = parseCsv((file.body as Buffer).toString('utf8'));
      expect(rows[0][0]).toBe('Organization');
      expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining([c1.name, c2.name]));
      await eventually(
        async () =>
          (await ts.pool.query(`SELECT 1 FROM reporting_report_activity WHERE partner_id = $1 AND customer_id IS NULL AND activity = 'scheduled-export'`, [A.partnerId]))
            .rowCount === 1,
        'the scheduled export in the activity',
      );
    });
  });
  describe('disconnection (F6)', () => {
    it('a disconnected customer’s report data goes and its reports answer 404', async () => {
      const res = await ts.http().delete(`/api/v1/customers/${c2.id}`).set(auth(A.users['global-admin'].token)).send({ confirmation: 'Yes' });
      expect(res.status).toBeLessThan(300);
      await eventually(
        async () => (await ts.pool.query('SELECT 1 FROM reporting_report_job_runs WHERE customer_id = $1', [c2.id])).rowCount === 0,
        'the job rows of the disconnected customer to go',
      );
      await waitForDirectory(ts, c2.id, (d) => d?.status === 'disconnected');
      expectProblem(await get(`/api/v1/customers/${c2.id}/reports/job-status?format=csv`, A.users['auditor'].token), 404, 'CUSTOMER.NOT_FOUND');
      const all = await getFile('/api/v1/reports/job-status?format=csv&details=true', A.users['auditor'].token);
      expect((all.body as Buffer).toString('utf8')).not.toContain('job-4');
    });
  });

});
