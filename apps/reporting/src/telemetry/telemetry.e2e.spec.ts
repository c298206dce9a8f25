import { randomUUID } from 'node:crypto';
import { startTestSystem, type TestSystem } from '../../../../deploy/embedded/testing/embedded-test-system';
import { auth, backupJob, createApiKey, DAY, eventually, expectProblem, inviteCustomer, iso } from './testing/reporting-e2e';

describe('API keys and telemetry ingestion (e2e)', () => {
  let ts: TestSystem;
  let customerA: string;
  let invitedA: string;
  let customerB: string;
  let keyA: { id: string; key: string };

  const telemetry = (kind: string, key: string | undefined, body: unknown) => {
    const req = ts.http().post(`/api/v1/telemetry/${kind}`);
    if (key !== undefined) req.set('X-Api-Key', key);
    return req.send(body as object);
  };
  const telemetryEvents = async (customerId: string) =>
    (await ts.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [`telemetry-${customerId}`])).rows[0].n;

  beforeAll(async () => {
    ts = await startTestSystem();
    customerA = await inviteCustomer(ts, ts.partnerA.users['global-admin'].token);
    invitedA = await inviteCustomer(ts, ts.partnerA.users['global-admin'].token, false);
    customerB = await inviteCustomer(ts, ts.partnerB.users['global-admin'].token);
    keyA = await createApiKey(ts, ts.partnerA.users['global-admin'].token);
    // The reporting directory learns of the customers through its consumer.
    await eventually(async () => {
      const { rows } = await ts.pool.query('SELECT customer_id, status FROM reporting_customer_directory WHERE customer_id = ANY($1)', [[customerA, invitedA, customerB]]);
      expect(rows.filter((r) => r.status === 'active')).toHaveLength(2);
      expect(rows).toHaveLength(3);
    });
  });
  afterAll(() => ts?.stop());

  it('documents the telemetry, API key and dashboard operations', async () => {
    const doc = (await ts.http().get('/docs-json')).body as {
      paths: Record<string, Record<string, { security?: unknown; parameters?: Array<{ name: string; in: string }>; requestBody?: unknown; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    const ingest = doc.paths['/api/v1/telemetry/{kind}'].post;
    expect(ingest.security).toEqual([]);
    expect(ingest.parameters?.some((p) => p.name === 'X-Api-Key' && p.in === 'header')).toBe(true);
    expect(ingest.requestBody).toBeDefined();
    expect(Object.keys(ingest.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404', '409', '413']));
    expect(doc.paths['/api/v1/api-keys'].post.responses['201']).toBeDefined();
    expect(doc.paths['/api/v1/api-keys'].get.responses['200']).toBeDefined();
    expect(doc.paths['/api/v1/api-keys/{id}'].delete.responses['204']).toBeDefined();
    expect(doc.paths['/api/v1/customers/{id}/dashboard'].get.responses['200']).toBeDefined();
    expect(doc.paths['/api/v1/customers/{id}/dashboard/suspicious-items'].get.responses['200']).toBeDefined();
    expect(doc.components.schemas.DashboardDto).toBeDefined();
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of refs) expect([ref, doc.components.schemas[ref.slice(22, -1)] !== undefined]).toEqual([ref, true]);
  });

  describe('API keys', () => {
    it('only a global admin creates, lists and revokes keys; the secret is shown once and never listed', async () => {
      for (const role of ['admin-agent', 'auditor'] as const) {
        const token = ts.partnerA.users[role].token;
        expectProblem(await ts.http().post('/api/v1/api-keys').set(auth(token)).send({ name: 'x' }), 403, 'AUTH.FORBIDDEN');
        expectProblem(await ts.http().get('/api/v1/api-keys').set(auth(token)), 403, 'AUTH.FORBIDDEN');
        expectProblem(await ts.http().delete(`/api/v1/api-keys/${keyA.id}`).set(auth(token)), 403, 'AUTH.FORBIDDEN');
      }
      expectProblem(await ts.http().post('/api/v1/api-keys').set(auth(ts.partnerA.users['global-admin'].token)).send({ name: '' }), 400, 'REQUEST.INVALID');
      expect(keyA.key).toMatch(/^rk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);

      const listed = await eventually(async () => {
        const res = await ts.http().get('/api/v1/api-keys').set(auth(ts.partnerA.users['global-admin'].token));
        expect(res.status).toBe(200);
        expect(res.body.items.map((k: { id: string }) => k.id)).toContain(keyA.id);
        return res;
      });
      expect(listed.text).not.toContain(keyA.key.slice(20));
      const mine = listed.body.items.find((k: { id: string }) => k.id === keyA.id);
      expect(mine).toEqual({ id: keyA.id, name: 'Cloud Backup EU', prefix: keyA.key.slice(0, 14), createdAt: expect.any(String), revokedAt: null });
      // Another partner sees none of them and cannot revoke them.
      const other = await ts.http().get('/api/v1/api-keys').set(auth(ts.partnerB.users['global-admin'].token));
      expect(other.body.items).toEqual([]);
      expectProblem(await ts.http().delete(`/api/v1/api-keys/${keyA.id}`).set(auth(ts.partnerB.users['global-admin'].token)), 404, 'API_KEY.NOT_FOUND');
      expectProblem(await ts.http().delete('/api/v1/api-keys/not-a-uuid').set(auth(ts.partnerA.users['global-admin'].token)), 404, 'API_KEY.NOT_FOUND');
    });

    it('a revoked key stops working at once; revoking again is a no-op', async () => {
      const admin = ts.partnerA.users['global-admin'].token;
      const doomed = await createApiKey(ts, admin, 'to revoke');
      const body = { batchId: randomUUID(), records: [backupJob(customerA)] };
      expect((await telemetry('backup-jobs', doomed.key, body)).status).toBe(200);
      expect((await ts.http().delete(`/api/v1/api-keys/${doomed.id}`).set(auth(admin))).status).toBe(204);
      expect((await ts.http().delete(`/api/v1/api-keys/${doomed.id}`).set(auth(admin))).status).toBe(204);
      expectProblem(await telemetry('backup-jobs', doomed.key, { batchId: randomUUID(), records: [backupJob(customerA)] }), 401, 'AUTH.INVALID_API_KEY');
      await eventually(async () => {
        const res = await ts.http().get('/api/v1/api-keys').set(auth(admin));
        expect(res.body.items.find((k: { id: string }) => k.id === doomed.id).revokedAt).toEqual(expect.any(String));
      });
    });
  });

  describe('POST /api/v1/telemetry/{kind}', () => {
    it('answers 401 problem+json without a key, with a malformed one and with a wrong secret; a bearer token is no key', async () => {
      const body = { batchId: randomUUID(), records: [backupJob(customerA)] };
      expectProblem(await telemetry('backup-jobs', undefined, body), 401, 'AUTH.INVALID_API_KEY');
      expectProblem(await telemetry('backup-jobs', 'nope', body), 401, 'AUTH.INVALID_API_KEY');
      const forged = keyA.key.slice(0, -4) + (keyA.key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      expectProblem(await telemetry('backup-jobs', forged, body), 401, 'AUTH.INVALID_API_KEY');
      expectProblem(
        await ts.http().post('/api/v1/telemetry/backup-jobs').set(auth(ts.partnerA.users['global-admin'].token)).send(body),
        401,
        'AUTH.INVALID_API_KEY',
      );
      expect(await telemetryEvents(customerA)).toBe(1); // only the revoke test's accepted record
    });

    it('keeps the valid records of a mixed batch and lists the rejected ones with their index and reason', async () => {
      const before = await telemetryEvents(customerA);
      const records = [
        backupJob(customerA),
        backupJob(customerA, { status: 'exploded' }),
        backupJob(customerA, { items: -1, endedAt: iso(3 * DAY) }),
        backupJob(customerB),
        backupJob(invitedA),
        backupJob(randomUUID()),
        { ...backupJob(customerA), color: 'blue' },
        'not an object',
        backupJob(customerA, { product: 'cloud-backup-google', workload: 'gmail' }),
      ];
      const res = await telemetry('backup-jobs', keyA.key, { batchId: randomUUID(), records });
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(2);
      const rejected = res.body.rejected as Array<{ index: number; code: string; errors?: Array<{ field: string }> }>;
      expect(rejected.map((r) => [r.index, r.code])).toEqual([
        [1, 'TELEMETRY.INVALID_RECORD'],
        [2, 'TELEMETRY.INVALID_RECORD'],
        [3, 'TELEMETRY.UNKNOWN_CUSTOMER'],
        [4, 'TELEMETRY.CUSTOMER_NOT_ACTIVE'],
        [5, 'TELEMETRY.UNKNOWN_CUSTOMER'],
        [6, 'TELEMETRY.INVALID_RECORD'],
        [7, 'TELEMETRY.INVALID_RECORD'],
      ]);
      expect(rejected[0].errors?.map((e) => e.field)).toEqual(['status']);
      expect(rejected[1].errors?.map((e) => e.field).sort()).toEqual(['endedAt', 'items']);
      expect(rejected[5].errors?.map((e) => e.field)).toEqual(['color']);
      expect(rejected[6].errors?.map((e) => e.field)).toEqual(['']);
      // Another partner's customer reads exactly like an unknown one.
      expect(JSON.stringify(rejected.find((r) => r.index === 3))).toBe(JSON.stringify({ ...rejected.find((r) => r.index === 5), index: 3 }));
      expect(await telemetryEvents(customerA)).toBe(before + 2);
      expect(await telemetryEvents(customerB)).toBe(0);
    });

    it('a retried batch changes nothing and answers the first answer', async () => {
      const body = { batchId: randomUUID(), records: [backupJob(customerA), backupJob(customerA, { status: 'bad' }), backupJob(customerA)] };
      const first = await telemetry('backup-jobs', keyA.key, body);
      expect(first.status).toBe(200);
      // Telemetry events only: the dashboard projection may append a health change meanwhile.
      const count = await telemetryEvents(customerA);
      const again = await Promise.all([telemetry('backup-jobs', keyA.key, body), telemetry('backup-jobs', keyA.key, body)]);
      for (const r of again) expect(r.body).toEqual(first.body);
      expect(await telemetryEvents(customerA)).toBe(count);
      // The same batch id for another kind is another batch.
      const other = await telemetry('risk-counts', keyA.key, {
        batchId: body.batchId,
        records: [{ customerId: customerA, sampledAt: iso(DAY), highRiskItems: 1, mediumRiskItems: 2, sensitiveItems: 3, externalUsers: 4, externalLinks: 5 }],
      });
      expect(other.body.accepted).toBe(1);
    });

    it('refuses batches over 1,000 records (413), empty or malformed batches (400) and unknown kinds (404), writing nothing', async () => {
      const count = await telemetryEvents(customerA);
      const big = { batchId: randomUUID(), records: Array.from({ length: 1001 }, () => backupJob(customerA)) };
      expectProblem(await telemetry('backup-jobs', keyA.key, big), 413, 'TELEMETRY.BATCH_TOO_LARGE');
      expectProblem(await telemetry('backup-jobs', keyA.key, { batchId: randomUUID(), records: [] }), 400, 'REQUEST.INVALID');
      expectProblem(await telemetry('backup-jobs', keyA.key, { batchId: 'x', records: [backupJob(customerA)] }), 400, 'REQUEST.INVALID');
      expectProblem(await telemetry('weather', keyA.key, { batchId: randomUUID(), records: [backupJob(customerA)] }), 404, 'TELEMETRY.UNKNOWN_KIND');
      expect(await telemetryEvents(customerA)).toBe(count);
    });

    it('accepts a full batch of 1,000 records (larger than the default body limit) in one append per customer', async () => {
      const records = Array.from({ length: 1000 }, (_, i) =>
        backupJob(customerA, { workload: `workload-${i % 7}`, jobId: `bulk-${i}-${'x'.repeat(60)}` }),
      );
      const res = await telemetry('backup-jobs', keyA.key, { batchId: randomUUID(), records });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ batchId: expect.any(String), kind: 'backup-jobs', accepted: 1000, rejected: [] });
      const { rows } = await ts.pool.query<{ n: number }>(
        `SELECT count(DISTINCT transaction_id)::int AS n FROM events WHERE stream_id = $1 AND metadata->>'batchId' = $2`,
        [`telemetry-${customerA}`, res.body.batchId],
      );
      expect(rows[0].n).toBe(1);
    });

    it('accepts every kind', async () => {
      const c = customerA;
      const bodies: Record<string, Record<string, unknown>> = {
        'storage-usage': { customerId: c, product: 'cloud-backup-m365', sampledAt: iso(DAY), usedBytes: 10, quotaBytes: 100 },
        'unusual-activities': {
          customerId: c, findingId: 'f-1', detectedAt: iso(DAY), workspaceType: 'onedrive', workspace: 'a@b.example', activity: 'Mass deletion',
          ransomwareSuspected: false, suspiciousFiles: [{ path: 'Documents/a.docx', reason: 'Deleted' }],
        },
        'policy-scans': { customerId: c, ruleId: 'r1', ruleName: 'MFA', scannedAt: iso(DAY), compliant: true, violationsFixed: 1, violationsUnfixed: 0 },
        'sharepoint-storage': { customerId: c, date: iso(DAY).slice(0, 10), usedBytes: 1000, quotaBytes: 5000 },
        'service-health': { customerId: c, incidentId: 'EX-1', service: 'Exchange Online', title: 'Mail delays', severity: 'advisory', status: 'open', startedAt: iso(DAY), updatedAt: iso(DAY) },
      };
      for (const [kind, record] of Object.entries(bodies)) {
        const res = await telemetry(kind, keyA.key, { batchId: randomUUID(), records: [record] });
        expect([kind, res.status, res.body.accepted, res.body.rejected]).toEqual([kind, 200, 1, []]);
      }
    });
  });
});
